"""The audit log: every change to catalogue data, actors, lines, assignments and accounts
(django-auditlog), newest first, for coordinators."""

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracker.permissions import require_coordinator


@require_GET
@login_required
def audit_log(request):
    require_coordinator(request.user)
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    paginator = Paginator(entries, 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "tracker/audit/log.html",
        {"page": page, "page_range": paginator.get_elided_page_range(page.number)},
    )
