"""Bulk import pages: upload a follow-up spreadsheet, preview every change and error, confirm.

Between the preview and the confirmation the session keeps the rows that would change
(their cells, not the file) under a random token with the file's SHA-256; confirming
validates them again, under lock, and applies them all in one transaction or none: here,
or beyond BACKGROUND_IMPORT_MIN_ROWS changes in a background job (background.py), whose
page leads to this package's page for its result.
"""

import json
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.jobs.models import Job
from tracker.jobs.selectors import job_for_user
from tracker.permissions import require_importer

from . import applying, background, checking, reading
from .forms import ImportConfirmForm, ImportUploadForm

SESSION_KEY = "tracker_import"


def _preview(request, *, check, filename, sha256, token=None, rejected=False, too_big=False):
    return render(
        request,
        "tracker/imports/preview.html",
        {
            "check": check,
            "filename": filename,
            "sha256": sha256,
            "confirm_form": ImportConfirmForm(initial={"token": token, "sha256": sha256})
            if token
            else None,
            "upload_form": ImportUploadForm(),
            "rejected": rejected,
            "too_big": too_big,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request):
    require_importer(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        table = form.table
        check = checking.status_updates_check(
            user=request.user, rows=table.rows, columns=table.columns
        )
        check.unchanged += table.blank
        token, too_big = None, False
        request.session.pop(SESSION_KEY, None)
        if check.can_apply:
            changed = {change.row for change in check.changes}
            rows = [row.to_json() for row in table.rows if row.number in changed]
            # The session is a database row: keep no more text than the file may hold.
            too_big = len(json.dumps(rows)) > reading.max_bytes()
            if not too_big:
                token = secrets.token_urlsafe(24)
                request.session[SESSION_KEY] = {
                    "token": token,
                    "sha256": form.sha256,
                    "filename": form.cleaned_data["file"].name,
                    "columns": table.columns,
                    "rows": rows,
                    "unchanged": check.unchanged,
                }
        return _preview(
            request,
            check=check,
            filename=form.cleaned_data["file"].name,
            sha256=form.sha256,
            token=token,
            too_big=too_big,
        )
    return render(request, "tracker/imports/form.html", {"form": form})


@require_POST
@login_required
def import_confirm(request):
    require_importer(request.user)
    form = ImportConfirmForm(request.POST)
    pending = request.session.get(SESSION_KEY)
    if not (
        form.is_valid()
        and pending
        and constant_time_compare(form.cleaned_data["token"], pending["token"])
        and constant_time_compare(form.cleaned_data["sha256"], pending["sha256"])
    ):
        messages.error(
            request,
            _("This import is no longer waiting for confirmation: upload the file again."),
        )
        return redirect("import")
    del request.session[SESSION_KEY]
    if len(pending["rows"]) > settings.BACKGROUND_IMPORT_MIN_ROWS:
        job = background.import_job_start(requester=request.user, pending=pending)
        return redirect("job", job.pk)
    rows = [reading.ImportRow.from_json(data) for data in pending["rows"]]
    try:
        check = applying.status_updates_import(
            user=request.user, rows=rows, columns=pending["columns"]
        )
    except checking.ImportRejected as rejected:
        rejected.check.unchanged += pending["unchanged"]
        return _preview(
            request,
            check=rejected.check,
            filename=pending["filename"],
            sha256=pending["sha256"],
            rejected=True,
        )
    _recorded(request, len(check.changes), pending["filename"])
    return redirect("import")


def _recorded(request, n: int, filename: str) -> None:
    messages.success(
        request,
        ngettext(
            "%(n)s update recorded from %(file)s.",
            "%(n)s updates recorded from %(file)s.",
            n,
        )
        % {"n": n, "file": filename},
    )


@require_GET
@login_required
def import_job(request, job_id):
    """A background import's result, for its requester: recorded, as confirming on the
    page says it, or not, with its rows' errors."""
    job = job_for_user(request.user, job_id)
    if not job.finished:
        return redirect("job", job.pk)
    filename = job.parameters.get("filename", "")
    if job.state == Job.State.DONE:
        _recorded(request, job.result.get("recorded", 0), filename)
        return redirect("import")
    errors = [checking.RowError(**error) for error in job.result.get("errors", [])]
    return render(
        request,
        "tracker/imports/job_failed.html",
        {"job": job, "filename": filename, "errors": errors, "upload_form": ImportUploadForm()},
    )
