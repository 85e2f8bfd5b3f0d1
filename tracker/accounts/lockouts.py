"""Logins under attack: lockouts (django-axes) and the slow-down per user name.

- **Lockout.** After `LOGIN_FAILURE_LIMIT` failed logins for one user name from one client
  address (tracker.clients), that pair is refused for `LOGIN_LOCKOUT_MINUTES`, counted
  from the failure that locked it; attempts while it is locked are refused unchecked and
  do not extend it. User names are compared without regard to case.
- **Slow-down.** Failures for a user name from any addresses are counted too (in the
  shared cache, forgotten `LOGIN_LOCKOUT_MINUTES` after the last one). From
  `LOGIN_FAILURE_LIMIT` failures on, the name gets one attempt per delay (1 s, 2 s, 4 s...
  at most `MAX_DELAY_SECONDS`), whoever makes it; other attempts meanwhile are refused
  unchecked and counted nowhere. Nobody can lock a named coordinator out from elsewhere:
  the right password from an address that is not locked works once the delay has passed.
- Each lockout is audited (django-auditlog), on the account when the name is one; so is
  each unlocking (tracker.accounts.services.login_unlock).
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

from auditlog.models import LogEntry
from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Sum
from django.db.models.functions import Lower
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker import throttles

MAX_DELAY_SECONDS = 60
SCOPE = "login-name"
LOCKED, SLOWED = "locked", "slowed"


def normalize(username) -> str | None:
    """A user name as lockouts and the slow-down count it: trimmed, lower-cased the way
    the database's LOWER() and iexact compare names (not casefold: "ß" stays "ß")."""
    if username is None:
        return None
    return str(username).strip().lower()[:150]


def username_key(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: the name from the credentials, else from the POST."""
    if credentials:
        return normalize(credentials.get("username"))
    return normalize(getattr(request, "POST", {}).get("username"))


def _window_seconds() -> int:
    return int(get_cool_off().total_seconds())


def name_wait(username) -> float:
    """Seconds before this user name may be tried again (0: now, and the turn is taken)."""
    name = normalize(username)
    failures = throttles.count(SCOPE, name)
    limit = settings.AXES_FAILURE_LIMIT
    if not name or failures < limit:
        return 0
    return throttles.claim(SCOPE, name, min(2 ** (failures - limit), MAX_DELAY_SECONDS))


class LoginBackend(AxesStandaloneBackend):
    """First in AUTHENTICATION_BACKENDS: refuses a locked pair (axes), then a user name
    whose turn is not due, before any password is checked. It never logs anyone in.
    Every login page passes the request; a call without one (code, not a client, such as
    the test client's login) has no client to count and is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        try:
            super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            request.login_refused = LOCKED
            raise
        if not settings.AXES_ENABLED:
            return None
        wait = name_wait(username)
        if wait:
            request.login_refused = SLOWED
            request.login_wait = wait
            # Axes neither counts nor extends a refused attempt, and answers it with
            # lockout_response.
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("too many failed logins for this user name")
        return None


@receiver(user_login_failed)
def _count_name_failure(sender, credentials, request=None, **kwargs):
    """A password that was checked and wrong counts for its user name."""
    if request is None or getattr(request, "login_refused", None):
        return
    name = normalize(credentials.get("username"))
    if name:
        throttles.record(SCOPE, name, window=_window_seconds())


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again, with why and for how long (429)."""
    if getattr(request, "login_refused", None) == SLOWED:
        seconds = max(1, math.ceil(request.login_wait))
        message = ngettext(
            "Too many failed logins for this user name. Wait %(seconds)d second, then try again.",
            "Too many failed logins for this user name. Wait %(seconds)d seconds, then try again.",
            seconds,
        ) % {"seconds": seconds}
    else:
        minutes = math.ceil(_window_seconds() / 60)
        message = ngettext(
            "Too many failed logins for this user name from your address: it is locked "
            "for %(minutes)d minute. Try again later, or ask a coordinator to unlock it.",
            "Too many failed logins for this user name from your address: it is locked "
            "for %(minutes)d minutes. Try again later, or ask a coordinator to unlock it.",
            minutes,
        ) % {"minutes": minutes}
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "lockout_message": message,
        "next": next_url,
    }
    return render(request, "registration/login.html", context, status=429)


# --- what coordinators see and undo ---------------------------------------------------------


@dataclass
class LockedName:
    username: str
    addresses: list = field(default_factory=list)
    failures: int = 0
    until: datetime | None = None
    account: object = None


def locked_names() -> list[LockedName]:
    """User names locked from at least one address now, latest lockout first."""
    cool_off = get_cool_off()
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    names: dict[str, LockedName] = {}
    for row in rows:
        locked = names.setdefault(row["username"], LockedName(row["username"]))
        locked.addresses.append(row["ip_address"] or "?")
        locked.failures += row["failures"]
        until = row["last"] + cool_off
        locked.until = max(locked.until or until, until)
    accounts = (
        get_user_model()
        .objects.annotate(folded=Lower("username"))
        .filter(folded__in=list(names))
        .order_by("pk")
    )
    for account in accounts:
        if account.folded in names and names[account.folded].account is None:
            names[account.folded].account = account
    return list(names.values())


def audit(name: str, change: list, *, actor=None, attempt=None) -> None:
    """An audit entry for a lockout or an unlocking: on the account of that user name
    when there is one, otherwise on the login attempts' own row."""
    account = get_user_model().objects.filter(username__iexact=name).order_by("pk").first()
    target = account or attempt
    if target is None:
        return
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_pk=str(target.pk),
        object_id=target.pk,
        object_repr=account.get_username() if account else name,
        action=LogEntry.Action.UPDATE,
        changes={_("login"): change},
        actor=actor,
        additional_data={"event": "login-lockout"},
    )


@receiver(user_locked_out)
def _audit_lockout(sender, request, username, ip_address, **kwargs):
    """Audit the failure that locks a pair; refusals while locked or slowed are not new."""
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    attempt = (
        AccessAttempt.objects.filter(username=username, ip_address=ip_address)
        .order_by("-attempt_time")
        .first()
    )
    minutes = math.ceil(_window_seconds() / 60)
    change = [
        _("allowed"),
        _("locked for %(minutes)d min after %(failures)d failed logins from %(address)s")
        % {
            "minutes": minutes,
            "failures": request.axes_failures_since_start,
            "address": ip_address or "?",
        },
    ]
    audit(username, change, attempt=attempt)
