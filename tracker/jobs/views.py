"""A job's pages, for its requester only (anyone else gets a 404): its progress (a page
that refreshes itself without JavaScript; static/js/job-progress.js polls the JSON
instead), the JSON, and the download of its result while it is kept."""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Job
from .selectors import job_for_user

# Seconds between refreshes of the page without JavaScript (the script polls each second).
REFRESH_SECONDS = 3
# A job still waiting after this long: say that no worker may be running.
WAITING_TOO_LONG = datetime.timedelta(minutes=2)


def _silent(job: Job) -> bool:
    """Waiting long, or no sign from the worker for longer than it beats: it may have
    stopped. Not said of a running job on SQLite, where a long import keeps its heartbeat
    out until it ends (tracker/jobs/running.py)."""
    now = timezone.now()
    if job.state == Job.State.QUEUED:
        return now - job.created_at > WAITING_TOO_LONG
    if job.state != Job.State.RUNNING or not job.heartbeat_at or connection.vendor == "sqlite":
        return False
    return now - job.heartbeat_at > datetime.timedelta(seconds=settings.JOB_HEARTBEAT_SECONDS)


def _step(job: Job) -> str:
    if job.state == Job.State.RUNNING:
        return job.step or str(job.get_state_display())
    return str(job.get_state_display())


@require_GET
@login_required
@never_cache
def job_page(request, job_id):
    job = job_for_user(request.user, job_id)
    if job.finished and job.result_view:
        return redirect(job.result_view, job.pk)
    return render(
        request,
        "tracker/jobs/job.html",
        {"job": job, "step": _step(job), "silent": _silent(job), "refresh": REFRESH_SECONDS},
    )


@require_GET
@login_required
@never_cache
def job_progress(request, job_id):
    """The job as the page's script reads it; `finished` tells it to load the page again."""
    job = job_for_user(request.user, job_id)
    return JsonResponse(
        {
            "state": job.state,
            "step": _step(job),
            "percent": job.percent,
            "finished": job.finished,
            "silent": _silent(job),
            "url": reverse("job", args=[job.pk]),
        }
    )


@require_GET
@login_required
def job_download(request, job_id):
    job = job_for_user(request.user, job_id)
    if job.state != Job.State.DONE or not job.result_name:
        raise Http404
    if job.result_expired or not job.result_file:
        return render(request, "tracker/jobs/removed.html", {"job": job}, status=410)
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_type,
    )
