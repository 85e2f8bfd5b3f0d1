"""Sending at most once: a delivery row is claimed (inserted and committed) before its
e-mail goes, then marked sent or failed with the error. A claim that is already there,
from an earlier or a concurrent run, is never sent again; a run that stops half-way
leaves its claims "not confirmed" and nobody gets the e-mail twice."""

import contextlib
import logging
import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core import mail
from django.utils import timezone, translation

from .models import Delivery, DeliveryState

logger = logging.getLogger(__name__)
ERROR_MAX_CHARS = 2000
SUBJECT_MAX_CHARS = 255


@contextlib.contextmanager
def recipients_locale(user):
    """Render in the recipient's language (a profile's `language` once languages land,
    else the site's) and time zone (their profile's, else the site's)."""
    profile = getattr(user, "profile", None)
    language = getattr(profile, "language", "") or settings.LANGUAGE_CODE
    zone = timezone.get_default_timezone()
    with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
        if profile is not None and profile.time_zone:
            zone = ZoneInfo(profile.time_zone)
    with translation.override(language), timezone.override(zone):
        yield


def one_line(text: str) -> str:
    """A subject: one line, at most as long as the record keeps."""
    return " ".join(text.split())[:SUBJECT_MAX_CHARS]


def email_message(*, recipient, subject, text, html, headers=None):
    """A plain-text e-mail with its HTML alternative, from REMINDERS_FROM_EMAIL."""
    message = mail.EmailMultiAlternatives(
        subject=one_line(subject),
        body=text,
        from_email=settings.REMINDERS_FROM_EMAIL,
        to=[recipient.email],
        # RFC 3834: written by a program, so out-of-office replies stay away.
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    return message


def claims_insert(deliveries: list[Delivery]) -> dict[int, Delivery]:
    """Insert these claims, leaving out any already made for the same person, kind and
    period, and return the ones this call inserted, by recipient: only those may be sent.
    Two queries whatever the number. Outside a transaction the claims are committed when
    this returns; inside one (an update request), with it."""
    if not deliveries:
        return {}
    token = uuid.uuid4()
    for delivery in deliveries:
        delivery.claim = token
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return {d.recipient_id: d for d in Delivery.objects.filter(claim=token)}


@contextlib.contextmanager
def mail_connection():
    """One connection to the mail server for a whole run."""
    connection = mail.get_connection(fail_silently=False)
    try:
        yield connection
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            connection.close()


def deliver(delivery: Delivery, make_message, connection) -> str:
    """Write (`make_message()`) and send one claimed e-mail, and record what happened (one
    query); returns the error, or "" when it went. Any failure, of the mail backend or in
    writing the e-mail, is recorded, never raised: the others still go."""
    error = ""
    try:
        message = make_message()
        message.connection = connection
        message.send()
    except Exception as exc:  # whatever the backend raises is recorded, never raised
        error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
        logger.warning(
            "e-mail %s (%s) to user %s failed: %s",
            delivery.pk,
            delivery.kind,
            delivery.recipient_id,
            type(exc).__name__,
        )
    delivery.state = DeliveryState.FAILED if error else DeliveryState.SENT
    delivery.error = error
    delivery.finished_at = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=delivery.state, error=error, finished_at=delivery.finished_at
    )
    return error
