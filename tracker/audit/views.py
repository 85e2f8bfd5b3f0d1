"""The audit log: every change to catalogue data, actors, lines, assignments and accounts
(django-auditlog), newest first, for coordinators; filtered by who, kind of object and
dates, as a page or as CSV."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from tracker.permissions import require_coordinator

from . import export
from .changes import describe
from .filters import AuditFilter, log_entries

PAGE_SIZE = 50
TEMPLATE = "tracker/audit/log.html"


def _filtered(request):
    require_coordinator(request.user)
    return AuditFilter(request.GET, queryset=log_entries())


def _refused(request, filterset):
    """Filters that are not valid: the page, with each error beside its field."""
    return render(request, TEMPLATE, {"filter": filterset, "page": None}, status=400)


@require_GET
@login_required
def audit_log(request):
    filterset = _filtered(request)
    if not filterset.is_valid():
        return _refused(request, filterset)
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        TEMPLATE,
        {
            "filter": filterset,
            "page": page,
            "entries": describe(page.object_list),
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "query": query.urlencode(),
        },
    )


@require_GET
@login_required
def audit_csv(request):
    """The same filters as the page, every matching entry, streamed."""
    filterset = _filtered(request)
    if not filterset.is_valid():
        return _refused(request, filterset)
    chunks = export.csv_chunks(
        filterset.qs,
        tz=timezone.get_current_timezone(),
        language=translation.get_language(),
    )
    response = StreamingHttpResponse(chunks, content_type=export.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, export.filename(timezone.localdate())
    )
    return response
