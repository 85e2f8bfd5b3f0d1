"""Reminders and update requests: who wants a digest how often, the updates coordinators
requested, and every e-mail sent or attempted.

A delivery row is the claim on one e-mail to one person for one period: it is inserted
(and committed) before the e-mail goes, and its unique constraint is what makes sending
at most once, whatever runs twice or stops half-way.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.models import FollowUpLine


class Frequency(models.TextChoices):
    """How often a focal point gets the digest of their lines."""

    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")
    NEVER = "never", _("Never")


class DigestPreference(models.Model):
    """A person's choice of digest frequency; no row means settings.DIGEST_DEFAULT_FREQUENCY."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_preference",
        verbose_name=_("user"),
    )
    frequency = models.CharField(_("digest"), max_length=10, choices=Frequency.choices)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values),
                name="notifications_preference_frequency_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"


class UpdateRequest(models.Model):
    """A coordinator asked a line's focal points for an update; shown on the line's timeline."""

    line = models.ForeignKey(
        FollowUpLine,
        on_delete=models.PROTECT,
        related_name="update_requests",
        verbose_name=_("line"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # The day in the site's time zone (TIME_ZONE), whoever asks from wherever.
    requested_on = models.DateField(_("requested on"))

    is_update_request = True  # the timeline tells its entries apart by this

    class Meta:
        verbose_name = _("update request")
        verbose_name_plural = _("update requests")
        constraints = [
            # One request per line per day. Its index also serves the timeline's read of
            # the requests on a page's lines (line_id IN ...).
            models.UniqueConstraint(
                fields=["line", "requested_on"], name="notifications_request_once_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.line} ({self.requested_on.isoformat()})"


class DeliveryKind(models.TextChoices):
    DIGEST = "digest", _("Digest")
    UPDATE_REQUEST = "update-request", _("Update request")


class DeliveryState(models.TextChoices):
    # Claimed and not yet confirmed: the e-mail is going, or the process stopped
    # while sending it (then nobody knows whether it went, and it is not sent again).
    CLAIMED = "claimed", _("Sending (not confirmed)")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One e-mail to one person for one period: claimed, then sent or failed."""

    Kind = DeliveryKind
    State = DeliveryState

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=DeliveryKind.choices)
    # "2026-W12" (a weekly digest), "2026-03" (a monthly one), "request-17".
    period = models.CharField(_("period"), max_length=40)
    update_request = models.ForeignKey(
        UpdateRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("update request"),
    )
    email = models.EmailField(_("address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.CLAIMED
    )
    error = models.TextField(_("error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The run that inserted the claim: a run sends only the claims it inserted itself
    # (indexed: it reads them back by this).
    claim = models.UUIDField(_("claim"), db_index=True)

    class Meta:
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")
        constraints = [
            # At most once per person and period: the claim is this row.
            models.UniqueConstraint(
                fields=["recipient", "kind", "period"], name="notifications_delivery_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DeliveryKind.values), name="notifications_delivery_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values),
                name="notifications_delivery_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="digest", update_request__isnull=True)
                | Q(kind="update-request", update_request__isnull=False),
                name="notifications_delivery_request_matches_kind",
            ),
        ]
        indexes = [
            # The coordinators' page: every e-mail, newest first.
            models.Index(fields=["-claimed_at", "-id"], name="notifications_delivery_recent"),
            # The same page filtered by state (what failed), newest first.
            models.Index(
                fields=["state", "-claimed_at", "-id"], name="notifications_delivery_state"
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()} {self.period} → {self.email} ({self.get_state_display()})"
        )
