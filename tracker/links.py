"""Absolute links the app writes (invitations, password reset e-mails, reminders): always on
PUBLIC_BASE_URL, never on the Host header of the request at hand, which a client chooses."""

from urllib.parse import urlsplit

from django.conf import settings


def email_context() -> dict:
    """`protocol` and `domain` for the e-mail templates' `{{ protocol }}://{{ domain }}`."""
    base = urlsplit(settings.PUBLIC_BASE_URL)
    return {"protocol": base.scheme, "domain": base.netloc}


def absolute_url(path: str) -> str:
    """`path` (from reverse()) as an absolute link on PUBLIC_BASE_URL, for exports."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + path
