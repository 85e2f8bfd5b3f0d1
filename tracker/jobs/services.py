"""Writes of background jobs: starting one (a Job, then the feature's task enqueued once
the Job is committed) and giving up on those whose worker stopped (the reaper)."""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Job
from .running import job_fail, kept_until

logger = logging.getLogger(__name__)


def job_start(*, task, kind: str, title: str, requester, parameters: dict,
              result_view: str = "") -> Job:  # fmt: skip
    """A job for `requester`, run by `task` (a Tasks API task taking the job's id) once
    the current transaction commits. `result_view` names the feature's page for the
    finished job (reversed with its id); without one, the job's page offers its file."""
    job = Job.objects.create(
        kind=kind,
        title=str(title)[:200],
        requester=requester,
        parameters=parameters,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        time_zone=timezone.get_current_timezone_name(),
        result_view=result_view,
    )
    transaction.on_commit(partial(_enqueue, task, job.pk))
    return job


def _enqueue(task, job_id: int) -> None:
    try:
        result = task.enqueue(job_id)
    except Exception:  # the queue cannot be reached (Redis down): say so, on the job
        logger.exception("job %s could not be queued", job_id)
        job_fail(
            job_id,
            _(
                "The background queue could not be reached, so nothing was done. Try again "
                "in a few minutes; if it keeps failing, tell an administrator."
            ),
        )
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id))


def jobs_reap(now: datetime.datetime | None = None) -> list[int]:
    """Fail the running jobs whose heartbeat is older than JOB_HEARTBEAT_SECONDS: their
    worker stopped (killed, its machine restarted), and with it their transaction, rolled
    back by the database. Returns their ids."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.JOB_HEARTBEAT_SECONDS)
    stale = Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=cutoff)
    reaped = []
    for job in stale.only("pk", "language"):
        with translation.override(job.language):
            message = _(
                "The worker doing this stopped before it finished (it was stopped, or its "
                "machine restarted). Nothing was kept: start it again."
            )
        gone = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, heartbeat_at__lt=cutoff)
        if gone.update(state=Job.State.FAILED, error=message, step="", finished_at=now,
                       keep_until=kept_until(now)):  # fmt: skip
            logger.warning("job %s: no heartbeat since before %s, marked failed", job.pk, cutoff)
            reaped.append(job.pk)
    return reaped
