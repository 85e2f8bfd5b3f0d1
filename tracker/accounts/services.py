"""Account writes, each in one transaction: creating or changing an account (role, actors,
active), the e-mail that invites a new account to set its password (in its language), a
user's own preferences, and unlocking a user name locked out after failed logins."""

import secrets
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from tracker import links, throttles
from tracker.languages import recipient_language
from tracker.models import Profile, Role
from tracker.permissions import require_coordinator

from . import lockouts
from .roles import ensure_role_groups


@dataclass
class AccountData:
    username: str
    email: str
    first_name: str
    last_name: str
    role: str
    actors: list
    is_active: bool = True


@transaction.atomic
def account_save(*, user, data: AccountData, account=None):
    """Create or change an account (role, actors, active); coordinators only."""
    require_coordinator(user)
    User = get_user_model()
    if account is None:
        account = User(username=data.username)
        # A password nobody knows; the new user sets theirs from the e-mailed link.
        account.set_password(secrets.token_urlsafe(32))
    if account.pk == user.pk and (not data.is_active or data.role != Role.COORDINATOR):
        raise PermissionDenied  # nobody locks themselves out of managing accounts
    if account.is_superuser and not user.is_superuser:
        raise PermissionDenied
    account.email = data.email
    account.first_name = data.first_name
    account.last_name = data.last_name
    account.is_active = data.is_active
    account.is_staff = True  # reads the report as data in the admin
    account.save()
    profile, _created = Profile.objects.get_or_create(user=account)
    profile.role = data.role
    profile.save()
    profile.actors.set(data.actors if data.role == Role.FOCAL_POINT else [])
    account.groups.set([ensure_role_groups()[data.role]])
    return account


@transaction.atomic
def preferences_save(*, user, language: str, time_zone: str | None = None) -> None:
    """A user's own language ("" for the browser's) and, if given, time zone."""
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.language = language
    fields = ["language"]
    if time_zone is not None:
        profile.time_zone = time_zone
        fields.append("time_zone")
    profile.save(update_fields=fields)


def account_invite(*, account) -> None:
    """E-mail a new account, and it alone, a link to set its password. The link is on
    PUBLIC_BASE_URL, never on the Host header of the request that created the account."""
    context = {
        "user": account,
        "uid": urlsafe_base64_encode(force_bytes(account.pk)),
        "token": default_token_generator.make_token(account),
        **links.email_context(),
    }
    with translation.override(recipient_language(account)):
        subject = render_to_string("registration/invitation_subject.txt", context)
        body = render_to_string("registration/invitation_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [account.email])


@transaction.atomic
def login_unlock(*, user, username: str) -> int:
    """Unlock a user name from every address and drop its slow-down; coordinators only.
    Audited with the addresses it was locked from. Returns the attempt rows removed."""
    require_coordinator(user)
    name = lockouts.normalize(username)
    attempts = list(AccessAttempt.objects.filter(username=name).order_by("-attempt_time"))
    if attempts:
        addresses = ", ".join(sorted({a.ip_address or "?" for a in attempts}))
        change = [_("locked from %(addresses)s") % {"addresses": addresses}, _("unlocked")]
        lockouts.audit(name, change, actor=user, attempt=attempts[0])
    throttles.forget(lockouts.SCOPE, name)
    return AxesProxyHandler.reset_attempts(username=name)
