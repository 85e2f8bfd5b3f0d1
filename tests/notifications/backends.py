"""An e-mail backend for the tests: Django's locmem outbox, refusing the addresses in
settings.FAIL_FOR the way an SMTP server does, and noting, for each e-mail, what the
database held when it went (its claim's state, and whether a transaction was open)."""

import smtplib

from django.conf import settings
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from tracker.notifications.models import Delivery

SEEN = []


class FailFor(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            [address] = message.to
            claim = Delivery.objects.filter(email=address).order_by("-pk").first()
            SEEN.append((address, claim.state if claim else None, connection.in_atomic_block))
            if address in getattr(settings, "FAIL_FOR", ()):
                raise smtplib.SMTPRecipientsRefused({address: (550, b"No such user")})
        return super().send_messages(messages)
