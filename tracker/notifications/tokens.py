"""The signed link in every digest that stops it with one click (RFC 8058): it names the
person, signed with SECRET_KEY, and carries no other power. It does not expire: mail
programs offer it for as long as the e-mail is kept. A new SECRET_KEY voids every link."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from tracker import links

SALT = "tracker.notifications.unsubscribe"


def unsubscribe_token(user) -> str:
    return signing.Signer(salt=SALT).sign(str(user.pk))


def unsubscribe_url(user) -> str:
    """The absolute link, on PUBLIC_BASE_URL."""
    return links.absolute_url(reverse("digest-unsubscribe", args=[unsubscribe_token(user)]))


def user_from_token(token: str):
    """The person the link was made for, or None for a link that is not one of ours (cut
    short, altered, signed with another key) or whose account is gone."""
    try:
        pk = int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return get_user_model().objects.filter(pk=pk).first()
