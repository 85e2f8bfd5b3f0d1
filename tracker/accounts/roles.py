"""What each role may do in the admin, kept as Django groups so permissions stay standard."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from tracker.models import Profile

CATALOGUE_MODELS = ["theme", "agendapoint", "actor", "recommendation", "addressee"]
# The frameworks: objectives and targets corrected (not added: reference.yaml lists them),
# and a recommendation's tags added, corrected and removed.
FRAMEWORK_MODELS = ["gcmobjective", "sdgtarget"]
TAG_MODELS = ["gcmtag", "sdgtag"]
STRUCTURE_MODELS = ["report", "chapter", "section", "paragraph"]
FOLLOW_UP_MODELS = ["followupline", "statusupdate", "recommendationprogress"]

GROUP_NAMES = {
    Profile.Role.VIEWER: "Viewers",
    Profile.Role.FOCAL_POINT: "Focal points",
    Profile.Role.COORDINATOR: "Coordinators",
}


def _permissions(codenames_by_app: dict[str, list[str]]):
    query = Q(pk__in=[])
    for app_label, codenames in codenames_by_app.items():
        query |= Q(content_type__app_label=app_label, codename__in=codenames)
    return Permission.objects.filter(query)


def role_permissions(role: str):
    """The admin permissions a role grants: everyone reads; coordinators correct the catalogue."""
    view_report = [
        f"view_{m}" for m in CATALOGUE_MODELS + STRUCTURE_MODELS + FRAMEWORK_MODELS + TAG_MODELS
    ]
    view_follow_up = [f"view_{m}" for m in FOLLOW_UP_MODELS]
    if role == Profile.Role.COORDINATOR:
        change = [f"{a}_{m}" for m in CATALOGUE_MODELS for a in ("add", "change")]
        change += [f"change_{m}" for m in FRAMEWORK_MODELS]
        change += [f"{a}_{m}" for m in TAG_MODELS for a in ("add", "change", "delete")]
        return _permissions(
            {
                "hearings": view_report + change,
                "tracker": view_follow_up,
                "auditlog": ["view_logentry"],
            }
        )
    return _permissions({"hearings": view_report, "tracker": view_follow_up})


def ensure_role_groups() -> dict[str, Group]:
    """Create or refresh the group of each role with exactly its permissions."""
    groups = {}
    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(role_permissions(role))
        groups[role] = group
    return groups
