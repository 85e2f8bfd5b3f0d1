"""Running a job: what a feature's task does with the job id it was handed.

    @task()
    def progress_report_make(job_id: int) -> None:
        run_job(job_id, _make)          # _make(job: JobRun) does the work

`run_job` claims the job (queued to running, once: a job delivered twice runs once), runs
the work in the requester's language and time zone while a thread beats its heartbeat,
then ends it: done, or failed with a sentence for the requester (a JobFailed's own, or a
general one for an unexpected error, whose traceback goes to the logs and the engine).

Progress is visible while the work's own transaction is still open (an import is one
transaction): written through a second connection to the same database (the "jobs"
alias), never through the job's own. SQLite lets one connection write at a time and the
job holds that lock, so there the step written before the transaction stays on the page
until it ends (README, "Background jobs").
"""

import datetime
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Job

logger = logging.getLogger(__name__)

# The second alias on the same database (hearings.settings_values.with_progress_alias).
PROGRESS_DATABASE = "jobs"
# Progress on the same step is written at most this often.
PROGRESS_INTERVAL_SECONDS = 1.0


class JobFailed(Exception):
    """The work cannot be done, for a reason the requester can read: `message`."""

    def __init__(self, message: str, *, result: dict | None = None, parameters=None):
        super().__init__(message)
        self.message = str(message)
        self.result = result
        self.parameters = parameters


class JobLost(Exception):
    """The job is no longer running (the reaper took it as stopped): its work is undone."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def kept_until(now):
    return now + datetime.timedelta(days=settings.JOB_RESULT_DAYS)


class JobRun:
    """The running job, as the work sees it: progress, and how it ends."""

    def __init__(self, job: Job):
        self.job = job
        self.finished = False
        # Transactions open when the work began: any more are the work's own.
        self._depth = len(connections[DEFAULT_DB_ALIAS].atomic_blocks)
        self._written = ("", -1, 0.0)

    @property
    def parameters(self) -> dict:
        return self.job.parameters

    def _progress_alias(self) -> str | None:
        connection = connections[DEFAULT_DB_ALIAS]
        if len(connection.atomic_blocks) <= self._depth:
            return DEFAULT_DB_ALIAS
        if connection.vendor == "sqlite":
            return None  # the job holds SQLite's one write lock until its transaction ends
        return PROGRESS_DATABASE

    def progress(self, step: str, percent: float) -> None:
        """Show `step` (a sentence) and how far the job is, 0-100."""
        percent = max(0, min(99, int(percent)))
        step = str(step)[:200]
        last_step, last_percent, last_at = self._written
        now = time.monotonic()
        if self.finished or (
            step == last_step
            and (percent == last_percent or now - last_at < PROGRESS_INTERVAL_SECONDS)
        ):
            return
        alias = self._progress_alias()
        if alias is None:
            return
        Job.objects.using(alias).filter(pk=self.job.pk, state=Job.State.RUNNING).update(
            step=step, percent=percent, heartbeat_at=timezone.now()
        )
        self._written = (step, percent, now)

    def finish(self, *, result: dict | None = None, parameters=None, **file_fields) -> None:
        """The job is done. Called inside the work's own transaction, it is done if and only
        if that transaction commits; JobLost (and so a rollback) if the job was given up."""
        now = timezone.now()
        fields = {"state": Job.State.DONE, "percent": 100, "step": "", "heartbeat_at": now,
                  "finished_at": now, "keep_until": kept_until(now), **file_fields}  # fmt: skip
        if result is not None:
            fields["result"] = result
        if parameters is not None:
            fields["parameters"] = parameters
        if not Job.objects.filter(pk=self.job.pk, state=Job.State.RUNNING).update(**fields):
            raise JobLost(self.job.pk)
        self.finished = True

    def finish_with_file(self, write: Callable, filename: str, content_type: str) -> None:
        """Write the result with `write(out)` into a temporary file, store it (Django's
        storage API) and finish; the stored file is removed if the job was given up."""
        storage = Job._meta.get_field("result_file").storage
        with tempfile.TemporaryFile() as out:
            write(out)
            out.seek(0)
            self.progress(_("Saving the file"), 99)
            name = storage.save(f"jobs/{self.job.pk}/{filename}", File(out, name=filename))
        try:
            self.finish(result_file=name, result_name=filename, result_type=content_type)
        except JobLost:
            storage.delete(name)
            raise


class Heartbeat(threading.Thread):
    """Beats a running job's heartbeat from its own connection, every quarter of
    JOB_HEARTBEAT_SECONDS, until stopped."""

    def __init__(self, job_id: int):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.every = settings.JOB_HEARTBEAT_SECONDS / 4
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(self.every):
                try:
                    Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError as error:  # e.g. SQLite, locked by the job itself
                    logger.info("job %s: heartbeat not written (%s)", self.job_id, error)
        finally:
            connections.close_all()

    def stop(self):
        self.stopped.set()
        self.join(timeout=10)


def _claim(job_id: int) -> bool:
    now = timezone.now()
    return bool(
        Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING, started_at=now, heartbeat_at=now, worker=worker_name()
        )
    )


def job_fail(job_id: int, message: str, *, result=None, parameters=None) -> None:
    now = timezone.now()
    fields = {"state": Job.State.FAILED, "error": message, "step": "", "finished_at": now,
              "keep_until": kept_until(now)}  # fmt: skip
    if result is not None:
        fields["result"] = result
    if parameters is not None:
        fields["parameters"] = parameters
    Job.objects.filter(pk=job_id, state__in=[Job.State.QUEUED, Job.State.RUNNING]).update(**fields)


def run_job(job_id: int, work: Callable[[JobRun], None]) -> None:
    """Run `work` for the job, once; see the module's docstring."""
    if not _claim(job_id):
        logger.warning("job %s is not waiting to start: not run (again)", job_id)
        return
    job = Job.objects.select_related("requester").get(pk=job_id)
    run = JobRun(job)
    heartbeat = Heartbeat(job_id)
    heartbeat.start()
    try:
        with translation.override(job.language), timezone.override(job.time_zone):
            try:
                work(run)
                if not run.finished:
                    run.finish()
            except JobLost:
                logger.warning("job %s was given up while running: its work is undone", job_id)
            except JobFailed as failure:
                job_fail(job_id, failure.message, result=failure.result,
                         parameters=failure.parameters)  # fmt: skip
            except Exception:
                logger.exception("job %s (%s) failed", job_id, job.kind)
                job_fail(job_id, unexpected_error(job_id))
                raise
    finally:
        heartbeat.stop()


def unexpected_error(job_id: int) -> str:
    return _(
        "Something went wrong while doing this; nothing was kept. Try again; if it fails "
        "again, tell an administrator (job %(id)s)."
    ) % {"id": job_id}
