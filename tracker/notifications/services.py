"""Writes for reminders and requests: a coordinator's request for an update on a line (and
its e-mails), and a person's choice of digest frequency."""

import contextlib
import functools
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tracker.permissions import line_is_open, require_coordinator

from . import emails, selectors, sending
from .models import Delivery, DeliveryKind, DigestPreference, Frequency, UpdateRequest

# The mark on the audit entry of a choice made through the link in an e-mail.
UNSUBSCRIBE_EVENT = "one-click-unsubscribe"


class RequestRefused(Exception):
    """An update request that cannot be made; the message says why, for the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class RequestOutcome:
    request: UpdateRequest
    sent: list = field(default_factory=list)  # users
    failed: list = field(default_factory=list)  # (user, error)


def _site_today(moment):
    """The day in the site's time zone (TIME_ZONE), whoever asks from wherever."""
    return timezone.localdate(moment, timezone=timezone.get_default_timezone())


def _already_requested(line, day) -> str:
    earlier = UpdateRequest.objects.select_related("requested_by").filter(
        line=line, requested_on=day
    )
    earlier = earlier.first()
    if earlier is None:  # a race lost to a request since rolled back: say the rule only
        return _("An update was already requested on this line today: one request a day.")
    who = earlier.requested_by.get_full_name() or earlier.requested_by.get_username()
    return _(
        "An update was already requested on this line today, by %(who)s at %(when)s. "
        "One request per line per day: its focal points have the e-mail; try again tomorrow."
    ) % {"who": who, "when": formats.time_format(timezone.localtime(earlier.requested_at), "H:i")}


def update_request_create(*, line, user) -> RequestOutcome:
    """A coordinator asks the line's focal points for an update: the request (shown on the
    line's timeline) and one e-mail to each, claimed in the same transaction, then sent.
    At most one request per line per day (the site's day)."""
    require_coordinator(user)
    if not line_is_open(line):
        raise RequestRefused(
            _("This line is closed (no longer followed): nobody is asked to update it.")
        )
    recipients = selectors.line_focal_points(line)
    if not recipients:
        raise RequestRefused(
            _(
                "Nobody with an e-mail address reports for %(actor)s: assign a focal point "
                "on the Accounts page first."
            )
            % {"actor": line.actor.name}
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            request = UpdateRequest.objects.create(
                line=line, requested_by=user, requested_at=now, requested_on=_site_today(now)
            )
            claims = sending.claims_insert(
                [
                    Delivery(
                        recipient=r,
                        kind=DeliveryKind.UPDATE_REQUEST,
                        period=f"request-{request.pk}",
                        update_request=request,
                        email=r.email,
                        subject=emails.update_request_subject(line, r),
                        line_count=1,
                    )
                    for r in recipients
                ]
            )
    except IntegrityError:
        raise RequestRefused(_already_requested(line, _site_today(now))) from None
    outcome = RequestOutcome(request=request)
    with sending.mail_connection() as connection:
        for recipient in recipients:
            make = functools.partial(emails.update_request_message, request, recipient)
            error = sending.deliver(claims[recipient.pk], make, connection)
            if error:
                outcome.failed.append((recipient, error))
            else:
                outcome.sent.append(recipient)
    return outcome


def frequency_chosen(user) -> str | None:
    """The frequency this person chose, or None if they never chose."""
    return DigestPreference.objects.filter(user=user).values_list("frequency", flat=True).first()


@transaction.atomic
def digest_frequency_set(*, user, frequency: str, through_link: bool = False) -> bool:
    """A person's choice of digest frequency, audited; True if it changed. `through_link`:
    made with the signed link of an e-mail, without logging in, so the audit entry names
    the person the link was for (no one is logged in) and says how it was made."""
    if frequency not in Frequency.values:
        raise ValueError(f"unknown digest frequency {frequency!r}")
    quiet = disable_auditlog() if through_link else contextlib.nullcontext()
    with quiet:
        preference, created = DigestPreference.objects.select_for_update().get_or_create(
            user=user, defaults={"frequency": frequency}
        )
        before = None if created else preference.frequency
        if before == frequency:
            return False
        if not created:
            preference.frequency = frequency
            preference.changed_at = timezone.now()
            preference.save(update_fields=["frequency", "changed_at"])
    if through_link:
        LogEntry.objects.log_create(
            preference,
            action=LogEntry.Action.CREATE if created else LogEntry.Action.UPDATE,
            changes={"frequency": [str(before), frequency]},
            actor=user,
            additional_data={"event": UNSUBSCRIBE_EVENT},
        )
    return True
