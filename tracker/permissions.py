"""Who may do what. Every view asks these functions; nothing is decided in templates."""

from django.core.exceptions import PermissionDenied

from .models import Profile, Role


def role_of(user) -> str | None:
    """The user's role; superusers act as coordinators; no profile means viewer."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.COORDINATOR
    try:
        return user.profile.role
    except Profile.DoesNotExist:
        return Role.VIEWER


def is_coordinator(user) -> bool:
    return role_of(user) == Role.COORDINATOR


def represented_actor_ids(user) -> frozenset[int]:
    """The actors a focal point reports for (cached on the user for the request)."""
    if not hasattr(user, "_represented_actor_ids"):
        ids = frozenset()
        if role_of(user) == Role.FOCAL_POINT:
            ids = frozenset(user.profile.actors.values_list("id", flat=True))
        user._represented_actor_ids = ids
    return user._represented_actor_ids


def line_is_open(line) -> bool:
    """A line takes updates while it counts: still addressed (or added by a coordinator),
    on a current, main recommendation. Closed lines keep their history, read-only."""
    rec = line.recommendation
    return line.is_active and rec.withdrawn_at is None and rec.restates_id is None


def can_record_on(user, line) -> bool:
    """Coordinators record on any open line; a focal point on the open lines of exactly
    their actors (a focal point for a group does not write on a member's line)."""
    if not line_is_open(line):
        return False
    role = role_of(user)
    if role == Role.COORDINATOR:
        return True
    return role == Role.FOCAL_POINT and line.actor_id in represented_actor_ids(user)


def require_coordinator(user):
    if not is_coordinator(user):
        raise PermissionDenied


def can_import(user) -> bool:
    """Coordinators and focal points import; each row still needs can_record_on its line."""
    return role_of(user) in {Role.COORDINATOR, Role.FOCAL_POINT}


def require_importer(user):
    if not can_import(user):
        raise PermissionDenied
