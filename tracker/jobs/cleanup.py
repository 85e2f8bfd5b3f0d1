"""The schedule's first entry: finished jobs' results removed once kept JOB_RESULT_DAYS
days (their file from the storage, their parameters, e.g. an import's rows, from the row),
and the database backend's own records of finished tasks as old."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from .models import Job

logger = logging.getLogger(__name__)


def job_results_remove(today: datetime.date | None = None) -> int:
    """Remove what finished jobs keep past their date; returns how many jobs. `today`, the
    date of the scheduled run, is not needed: keeping is counted to the second."""
    now = timezone.now()
    expired = Job.objects.filter(keep_until__lte=now, result_removed_at__isnull=True)
    removed = 0
    for job in expired.only("pk", "result_file").iterator():
        if job.result_file:
            job.result_file.storage.delete(job.result_file.name)
        Job.objects.filter(pk=job.pk).update(result_file="", parameters={}, result_removed_at=now)
        removed += 1
    if "django_tasks_db" in settings.INSTALLED_APPS:
        from django_tasks_db.models import DBTaskResult

        cutoff = now - datetime.timedelta(days=settings.JOB_RESULT_DAYS)
        DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    if removed:
        logger.info("removed the results of %s jobs kept past their date", removed)
    return removed
