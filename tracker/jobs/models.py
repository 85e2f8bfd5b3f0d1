"""The app's own record of each background job, and of each scheduled run.

The Tasks API runs the work and reports neither progress nor a schedule: a Job is what the
requester's page reads (state, step, percentage, heartbeat, error, result), and a
ScheduleRun is the claim that makes each occurrence of a scheduled entry run once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    # The feature's own name for the work ("report", "import"), and the work in words.
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name=_("requested by"),
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # The requester's language and time zone, active while the job runs.
    language = models.CharField(max_length=20, default=settings.LANGUAGE_CODE)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    step = models.CharField(_("step"), max_length=200, blank=True)
    percent = models.PositiveSmallIntegerField(_("percentage done"), default=0)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    # For the requester: a sentence, never a traceback (those go to the logs).
    error = models.TextField(_("error"), blank=True)

    # What the feature's own result page reads (an import's counts and row errors).
    result = models.JSONField(_("result"), default=dict, blank=True)
    # The URL name of that page, reversed with the job's id; empty for a file to download.
    result_view = models.CharField(max_length=60, blank=True)
    result_file = models.FileField(_("result file"), max_length=300, blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_type = models.CharField(max_length=120, blank=True)
    keep_until = models.DateTimeField(_("kept until"), null=True, blank=True)
    result_removed_at = models.DateTimeField(_("result removed"), null=True, blank=True)

    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)  # host:pid
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]),
                name="jobs_job_state_valid",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="jobs_job_percent_valid"),
        ]
        indexes = [
            # The reaper: running jobs whose heartbeat is too old.
            models.Index(
                fields=["heartbeat_at"],
                condition=Q(state="running"),
                name="jobs_job_running_heartbeat",
            ),
            # The cleanup: finished jobs past their keeping date, result not yet removed.
            models.Index(
                fields=["keep_until"],
                condition=Q(result_removed_at__isnull=True),
                name="jobs_job_kept_until",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def result_expired(self) -> bool:
        return self.result_removed_at is not None or (
            self.keep_until is not None and self.keep_until <= timezone.now()
        )


class ScheduleRun(models.Model):
    """One occurrence of a schedule entry, claimed by the first runner to insert it."""

    entry = models.CharField(_("entry"), max_length=60)
    due_at = models.DateTimeField(_("due"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-due_at", "entry"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "due_at"], name="jobs_schedulerun_once_per_occurrence"
            ),
        ]

    def __str__(self):
        return f"{self.entry} @ {self.due_at:%Y-%m-%d %H:%M}"
