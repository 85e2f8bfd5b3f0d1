"""The public state of the follow-up, beside the follow-up itself (tracker.models).

- `PublicSite`: one row; the site is off until a coordinator switches it on; target dates
  (and the overdue and stale figures that reveal them) stay private unless published.
- `NotePublication`: a status update's note and evidence are public while this row exists.
  The update stays append-only; publishing and withdrawing are audited (django-auditlog).
- `Withholding`: a recommendation or a line a coordinator keeps out of public view, why.
- `PublicVersion`: a counter in shards that every write touching public content moves in
  its own transaction (`versions.bump`); public pages' ETags and cache keys are its sum.
"""

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearings.models import Recommendation
from tracker.models import FollowUpLine, StatusUpdate

MAX_REASON_LENGTH = 2_000


class PublicSite(models.Model):
    ONLY = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ONLY, editable=False)
    is_on = models.BooleanField(_("public site on"), default=False)
    target_dates_public = models.BooleanField(
        _("target dates public"),
        default=False,
        help_text=_("Target dates, and the overdue and stale figures that reveal them."),
    )
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("public site")
        verbose_name_plural = _("public site")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="public_site_one_row")]

    def __str__(self):
        return str(_("Public site: on") if self.is_on else _("Public site: off"))

    @classmethod
    def load(cls) -> "PublicSite":
        # Making the row (off, as if it had always been there) is nobody's change: not in
        # the audit log, where it would read as a change made by whoever first asked.
        with disable_auditlog():
            site, _created = cls.objects.get_or_create(pk=cls.ONLY)
        return site


class NotePublication(models.Model):
    update = models.OneToOneField(
        StatusUpdate,
        verbose_name=_("status update"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="publication",
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("published note")
        verbose_name_plural = _("published notes")

    def __str__(self):
        # The audit log's object: which note, in the words of the timeline.
        return str(_("Note of %(update)s") % {"update": self.update})


class Withholding(models.Model):
    recommendation = models.OneToOneField(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="withholding",
    )
    line = models.OneToOneField(
        FollowUpLine,
        verbose_name=_("follow-up line"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="withholding",
    )
    reason = models.TextField(_("reason"), max_length=MAX_REASON_LENGTH)
    withheld_at = models.DateTimeField(_("kept out of public view since"), default=timezone.now)
    withheld_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kept out by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kept out of public view")
        verbose_name_plural = _("kept out of public view")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=False, line__isnull=True)
                | Q(recommendation__isnull=True, line__isnull=False),
                name="withholding_one_target",
            )
        ]

    def __str__(self):
        # The audit log's object, beside its kind ("Kept out of public view"): what is.
        return str(self.recommendation if self.recommendation_id else self.line)


class PublicVersion(models.Model):
    shard = models.PositiveSmallIntegerField(primary_key=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("public version shard")

    def __str__(self):
        return f"{self.shard}: {self.n}"
