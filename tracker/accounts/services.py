"""Account writes, each in one transaction: creating or changing an account (role, actors,
active), and the e-mail that invites a new account to set its password."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tracker.models import Profile, Role
from tracker.permissions import require_coordinator

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


def account_invite(*, request, account) -> None:
    """E-mail a new account, and it alone, a link to set its password."""
    context = {
        "user": account,
        "uid": urlsafe_base64_encode(force_bytes(account.pk)),
        "token": default_token_generator.make_token(account),
        "protocol": "https" if request.is_secure() else "http",
        "domain": get_current_site(request).domain,
    }
    subject = render_to_string("registration/invitation_subject.txt", context)
    body = render_to_string("registration/invitation_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [account.email])
