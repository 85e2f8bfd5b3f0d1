"""Evidence file pages: the download (every download goes through here, never through a
storage URL) and a coordinator's withdrawal of a file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .access import can_download, can_withdraw
from .forms import WithdrawForm
from .models import EvidenceFile

# A file opened from the app must not run as a page of it: no script, no plug-in, no
# form, no origin of its own, whatever a browser makes of it.
SANDBOX_CSP = "sandbox; default-src 'none'"


def _get_file_for_user(request, key, allowed) -> EvidenceFile:
    evidence_file = get_object_or_404(
        EvidenceFile.objects.select_related(
            "update__line__recommendation", "update__line__actor", "withdrawn_by"
        ),
        key=key,
    )
    if not allowed(request.user, evidence_file):
        raise PermissionDenied
    return evidence_file


def _timeline_url(evidence_file) -> str:
    line = evidence_file.update.line
    return reverse("recommendation", args=[line.recommendation.code]) + (
        f"#update-{evidence_file.update_id}"
    )


def _unavailable(request, evidence_file, status):
    return render(
        request,
        "tracker/evidence/unavailable.html",
        {"file": evidence_file, "timeline_url": _timeline_url(evidence_file)},
        status=status,
    )


@require_GET
@login_required
def evidence_download(request, key):
    evidence_file = _get_file_for_user(request, key, can_download)
    if evidence_file.is_withdrawn:
        return _unavailable(request, evidence_file, 410)
    try:
        stream = services.storage().open(evidence_file.stored_name, "rb")
    except FileNotFoundError:
        return _unavailable(request, evidence_file, 404)
    # Streamed; as an attachment under its original name (Django writes RFC 6266's header,
    # the name in RFC 5987's UTF-8 form when it is not plain ASCII).
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=evidence_file.original_name,
        content_type=evidence_file.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Set here, django-csp leaves it as it is (it adds its policy only where there is none).
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def evidence_withdraw(request, key):
    evidence_file = _get_file_for_user(request, key, can_withdraw)
    if evidence_file.is_withdrawn:
        return _unavailable(request, evidence_file, 410)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_file_withdraw(
                evidence_file_id=evidence_file.pk,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.AlreadyWithdrawn:
            evidence_file.refresh_from_db()
            return _unavailable(request, evidence_file, 410)
        messages.success(
            request, _("“%(name)s” is withdrawn.") % {"name": evidence_file.original_name}
        )
        return redirect(_timeline_url(evidence_file))
    return render(
        request,
        "tracker/evidence/withdraw.html",
        {"file": evidence_file, "form": form, "timeline_url": _timeline_url(evidence_file)},
    )
