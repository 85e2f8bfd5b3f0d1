"""Follow-up: per recommendation and per actor, an append-only history of status updates.

A follow-up line exists for each addressed actor of each main (not restated)
recommendation. Its status updates are never edited or deleted; a correction is a new
update naming the one it corrects. The line keeps its current status (the latest update in
the one ordering: effective date, time recorded, id), written with each update.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearings.models import Recommendation

from .vocabulary import (  # noqa: F401 - the vocabulary is read from here too
    FINAL_STATUSES,
    OPEN_STATUSES,
    PROGRESS_ORDER,
    STATUS_DESCRIPTIONS,
    Figure,
    Role,
    Status,
)

# Dates that make sense, kept by the database too (tracker.inputs says so to the user).
HEARINGS_DATE = datetime.date(2013, 7, 15)
EARLIEST_TARGET_DATE = datetime.date(2013, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


class Profile(models.Model):
    """A staff member's role in the tracker and, for a focal point, the actors they report for."""

    Role = Role

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    actors = models.ManyToManyField(
        "hearings.Actor",
        related_name="focal_points",
        blank=True,
        verbose_name=_("reports for"),
        help_text=_("A focal point records follow-up for exactly these actors."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Times are shown in this zone; empty for the site's default."),
    )
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES,
        help_text=_("Pages and e-mails are in this language; empty to follow the browser."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="tracker_profile_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


# The rules for lines, written once as conditions so that querysets, the dashboard's
# single aggregate pass and the exports all apply the same ones.

# A line counts in a roll-up while the catalogue addresses its actor or a coordinator
# added it; lines no longer addressed keep their history but no longer count.
ACTIVE_LINE = Q(addressed=True) | Q(added_by__isnull=False)


def overdue_condition(today) -> Q:
    """Target date passed and not in a final status."""
    return Q(target_date__lt=today) & ~Q(status__in=FINAL_STATUSES)


def stale_condition(since) -> Q:
    """Open, and nothing recorded since `since` (a datetime), nor created since."""
    return (
        ~Q(status__in=FINAL_STATUSES)
        & (Q(last_recorded_at__lt=since) | Q(last_recorded_at__isnull=True))
        & Q(created_at__lt=since)
    )


class FollowUpLineQuerySet(models.QuerySet):
    def followed(self):
        """Lines on current, main recommendations."""
        return self.filter(recommendation__withdrawn_at=None, recommendation__restates=None)

    def active(self):
        """Lines that count in a roll-up (see ACTIVE_LINE)."""
        return self.filter(ACTIVE_LINE)

    def overdue(self, today=None):
        return self.filter(overdue_condition(today or timezone.localdate()))

    def stale(self, since):
        return self.filter(stale_condition(since))

    def counted_open(self):
        """Open lines the dashboard counts (followed, active): its partial indexes' rows."""
        return self.filter(counted_status__in=OPEN_STATUSES)


class FollowUpLine(models.Model):
    """The follow-up of one recommendation by one actor."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="follow_up_lines",
        verbose_name=_("recommendation"),
    )
    actor = models.ForeignKey(
        "hearings.Actor",
        on_delete=models.PROTECT,
        related_name="follow_up_lines",
        verbose_name=_("actor"),
    )
    addressed = models.BooleanField(
        _("addressed"),
        default=True,
        help_text=_(
            "False when the catalogue no longer addresses this actor; the line and "
            "its history are kept."
        ),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
        help_text=_("The coordinator who added the line; empty for lines from the catalogue."),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    # When the line counts in reports "as of" a date (tracker.reports.asof).
    followed_since = models.DateField(
        _("followed since"),
        default=HEARINGS_DATE,
        help_text=_(
            "The line counts in reports from this date, or from its first update in effect "
            "if that is earlier: the hearings for lines from the catalogue; the day it was "
            "added, or an earlier date given then, for lines added by a coordinator."
        ),
    )
    dropped_on = models.DateField(
        _("no longer addressed since"),
        null=True,
        blank=True,
        help_text=_(
            "The day the catalogue stopped addressing this actor: the line leaves reports "
            "from then on (a line added by a coordinator stays)."
        ),
    )
    # Current state, kept in the same transaction as each status update.
    status = models.CharField(
        _("current status"), max_length=30, choices=Status.choices, default=Status.NO_INFORMATION
    )
    status_since = models.DateField(_("status effective since"), null=True, blank=True)
    current_update = models.ForeignKey(
        "StatusUpdate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current update"),
    )
    update_count = models.PositiveIntegerField(
        _("updates recorded"),
        default=0,
        help_text=_("Also the line's version: a form opened before the last update is stale."),
    )
    last_recorded_at = models.DateTimeField(_("last update recorded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # What the dashboard's figures count this line as (tracker.tallies), kept in the same
    # transaction as the write: its status while it is followed and active, else empty.
    counted_status = models.CharField(_("counted as"), max_length=30, blank=True, editable=False)

    objects = FollowUpLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up line")
        verbose_name_plural = _("follow-up lines")
        ordering = ["recommendation__position", "actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "actor"], name="tracker_line_unique_per_actor"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="tracker_line_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(target_date__isnull=True)
                | Q(target_date__gte=EARLIEST_TARGET_DATE, target_date__lte=LATEST_DATE),
                name="tracker_line_target_date_in_range",
            ),
            models.CheckConstraint(
                condition=Q(followed_since__gte=HEARINGS_DATE, followed_since__lte=LATEST_DATE),
                name="tracker_line_followed_since_in_range",
            ),
            # A catalogue line is addressed, or dropped on a day: the two fields never
            # disagree (pages read `addressed`, reports as of a date read `dropped_on`).
            models.CheckConstraint(
                condition=Q(added_by__isnull=False)
                | Q(addressed=True, dropped_on__isnull=True)
                | Q(addressed=False, dropped_on__isnull=False),
                name="tracker_line_dropped_on_matches_addressed",
            ),
        ]
        indexes = [
            # "My lines" and the focal point's dashboard: lines of some actors by status.
            models.Index(fields=["actor", "status"], name="tracker_line_actor_status"),
            # Dashboard counts by status; overdue lines (target date passed, not final).
            models.Index(fields=["status", "target_date"], name="tracker_line_status_target"),
            # The dashboard's first overdue lines, read in target-date order.
            models.Index(
                fields=["target_date"],
                condition=Q(target_date__isnull=False),
                name="tracker_line_target_date",
            ),
            # Stale lines: open lines by the time of their last update, oldest first.
            models.Index(
                fields=["last_recorded_at", "created_at"], name="tracker_line_last_recorded"
            ),
            # The dashboard's clock-bound figures, over the open lines it counts only:
            # overdue (by target date), stale and recently touched (by time).
            models.Index(
                fields=["target_date"],
                condition=Q(target_date__isnull=False, counted_status__in=OPEN_STATUSES),
                name="tracker_line_open_target",
            ),
            models.Index(
                fields=["last_recorded_at", "created_at"],
                condition=Q(counted_status__in=OPEN_STATUSES),
                name="tracker_line_open_recorded",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(counted_status__in=OPEN_STATUSES),
                name="tracker_line_open_created",
            ),
        ]

    def __str__(self):
        return f"{self.recommendation.code} · {self.actor}"

    @property
    def is_final(self):
        return self.status in FINAL_STATUSES

    @property
    def is_active(self):
        """ACTIVE_LINE, for one row already in memory."""
        return self.addressed or self.added_by_id is not None

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(self.target_date and self.target_date < today and not self.is_final)


# Evidence links: only these schemes ever become links (files: tracker/evidence/).
EVIDENCE_SCHEMES = ("http", "https")


def is_evidence_url(value) -> bool:
    """True for an http(s) URL: a stored link never becomes javascript: or data:."""
    try:
        return urlsplit(str(value)).scheme in EVIDENCE_SCHEMES
    except ValueError:
        return False


class StatusUpdate(models.Model):
    """One entry in a line's history. Append-only: never edited, never deleted."""

    line = models.ForeignKey(
        FollowUpLine, on_delete=models.PROTECT, related_name="updates", verbose_name=_("line")
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)
    note = models.TextField(_("note"))
    evidence_links = models.JSONField(_("evidence links"), default=list, blank=True)
    effective_date = models.DateField(_("effective date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="status_updates",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        # The one ordering: effective date, then time recorded, then id.
        ordering = ["effective_date", "recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="tracker_update_status_valid"
            ),
            models.CheckConstraint(condition=~Q(note=""), name="tracker_update_note_required"),
            models.CheckConstraint(
                condition=Q(effective_date__gte=HEARINGS_DATE, effective_date__lte=LATEST_DATE),
                name="tracker_update_effective_date_in_range",
            ),
        ]
        indexes = [
            # A line's history in order, its latest update, and "as of" a date.
            models.Index(
                fields=["line", "effective_date", "recorded_at", "id"],
                name="tracker_update_line_order",
            ),
            # Recent updates on the dashboard, in exactly the order they are listed.
            models.Index(fields=["-recorded_at", "-id"], name="tracker_update_recent"),
        ]

    def __str__(self):
        return f"{self.line} → {self.get_status_display()} ({self.effective_date})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(_("Status updates are never changed; record a correction."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Status updates are never deleted; record a correction."))


class RecommendationProgress(models.Model):
    """A main recommendation's status rolled up from its lines (see tracker.rollup)."""

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="progress", primary_key=True
    )
    status = models.CharField(
        _("overall status"), max_length=30, choices=Status.choices, default=Status.NO_INFORMATION
    )
    line_counts = models.JSONField(_("lines per status"), default=dict)
    # What the dashboard's figures count this recommendation as (tracker.tallies) while it
    # is a current main one: its status, theme, agenda points, GCM objectives, SDG targets.
    counted_status = models.CharField(max_length=30, blank=True, editable=False)
    counted_theme_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    counted_agenda_ids = models.JSONField(default=list, blank=True, editable=False)
    counted_gcm_ids = models.JSONField(default=list, blank=True, editable=False)
    counted_sdg_ids = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("recommendation progress")
        verbose_name_plural = _("recommendation progress")
        # The list sorted by status, in index order (tracker.paging's keyset: status, id).
        indexes = [models.Index(fields=["status", "recommendation"], name="tracker_progress_sort")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="tracker_progress_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.recommendation_id}: {self.status}"


class Tally(models.Model):
    """n more (or fewer) of what a Figure counts, in a status. Writers only insert (no row
    that writers wait for); a figure is the sum of its rows, folded now and then."""

    Figure = Figure
    figure = models.CharField(max_length=10, choices=Figure.choices)
    key = models.PositiveIntegerField()  # the id of the actor, theme... the figure counts
    status = models.CharField(max_length=30, choices=Status.choices)
    n = models.IntegerField()

    class Meta:
        verbose_name_plural = _("tallies")

    def __str__(self):
        return f"{self.figure} {self.key} {self.status}: {self.n:+}"
