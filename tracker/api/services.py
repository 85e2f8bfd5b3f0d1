"""Token writes and the one lookup that turns a presented token into its row: creating
(the plain token is returned once and never stored), revoking, and the last use, written
at most once a minute per token."""

import datetime
import hashlib
import re
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hearings.text import validate_safe_text

from .models import ApiToken, Scope

# Every token starts with this, so that one pasted where it should not be (a query
# string, a log, a repository) is recognised as one.
TOKEN_PREFIX = "htk_"  # noqa: S105 - a marker, not a secret
TOKEN_SHAPE = re.compile(r"htk_[A-Za-z0-9_-]{43}")
SHOWN_PREFIX_LENGTH = 12
EXPIRY_DAYS = (30, 90, 180, 365)
DEFAULT_EXPIRY_DAYS = 90
MAX_EXPIRY_DAYS = 365
LAST_USED_EVERY = datetime.timedelta(minutes=1)
MAX_NAME_LENGTH = 100


def key_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Name the token: what is it for?"), code="required")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            _("The name is too long: at most %(n)s characters.") % {"n": MAX_NAME_LENGTH},
            code="max_length",
        )
    validate_safe_text(name)
    return name


@transaction.atomic
def token_create(
    *, user, name: str, scope: str = Scope.READ, days: int = DEFAULT_EXPIRY_DAYS
) -> tuple[ApiToken, str]:
    """A new token of `user`'s, valid for `days`; returns the row and the plain token,
    which is shown to its owner once and exists nowhere else afterwards. Audited."""
    if not user.is_active:
        raise PermissionDenied
    if scope not in Scope.values:
        raise ValidationError(_("Unknown scope: %(scope)s.") % {"scope": scope}, code="scope")
    if not 1 <= int(days) <= MAX_EXPIRY_DAYS:
        raise ValidationError(
            _("A token lasts from 1 to %(n)s days.") % {"n": MAX_EXPIRY_DAYS}, code="days"
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=_clean_name(name),
        prefix=plain[:SHOWN_PREFIX_LENGTH],
        key_hash=key_hash(plain),
        scope=scope,
        created_at=now,
        expires_at=now + datetime.timedelta(days=int(days)),
    )
    return token, plain


@transaction.atomic
def token_revoke(*, user, token_id: int) -> bool:
    """Revoke one of `user`'s own tokens; True if it was not revoked already. Audited."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None or token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return True


def token_find(plain: str) -> ApiToken | None:
    """The row of a presented token (working or not), with its user and profile, in one
    query; None for a token nobody made."""
    if not TOKEN_SHAPE.fullmatch(plain or ""):
        return None
    return (
        ApiToken.objects.select_related("user", "user__profile")
        .filter(key_hash=key_hash(plain))
        .first()
    )


def token_used(token: ApiToken, now=None) -> None:
    """Write the token's last use, at most once a minute (one small UPDATE then, none
    otherwise)."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY)
    ).update(last_used_at=now)
    token.last_used_at = now
