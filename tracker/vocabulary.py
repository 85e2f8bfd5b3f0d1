"""The follow-up's vocabulary: roles, the one scale of statuses a line moves along, and
what the dashboard's figures count."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    FOCAL_POINT = "focal-point", _("Focal point")
    COORDINATOR = "coordinator", _("Coordinator")


class Figure(models.TextChoices):
    """What a dashboard figure counts (tracker.tallies): an actor's lines, or the main
    recommendations of a theme, agenda point, Global Compact objective or SDG target."""

    ACTOR_LINES = "actor", _("lines per actor")
    THEME = "theme", _("recommendations per theme")
    AGENDA_POINT = "agenda", _("recommendations per agenda point")
    GCM_OBJECTIVE = "gcm", _("recommendations per Global Compact objective")
    SDG_TARGET = "sdg", _("recommendations per SDG target")


class Status(models.TextChoices):
    """One status vocabulary, in order of progress; see STATUS_DESCRIPTIONS."""

    NO_INFORMATION = "no-information", _("No information")
    NOT_STARTED = "not-started", _("Not started")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in-progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially-implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    WILL_NOT_BE_IMPLEMENTED = "will-not-be-implemented", _("Will not be implemented")
    NO_LONGER_RELEVANT = "no-longer-relevant", _("No longer relevant")


STATUS_DESCRIPTIONS = {
    Status.NO_INFORMATION: _("Nothing has been reported yet."),
    Status.NOT_STARTED: _("The actor accepts the recommendation but has not begun to act on it."),
    Status.PLANNED: _("Action is decided and scheduled (a plan, budget or mandate exists)."),
    Status.IN_PROGRESS: _("Action has begun and is under way."),
    Status.PARTIALLY_IMPLEMENTED: _(
        "Part of what is asked has been done; part remains to be done."
    ),
    Status.IMPLEMENTED: _("What is asked has been done in full."),
    Status.WILL_NOT_BE_IMPLEMENTED: _("The actor has decided not to act on the recommendation."),
    Status.NO_LONGER_RELEVANT: _(
        "Events have overtaken the recommendation; it no longer applies to this actor."
    ),
}

# Statuses that close a line: no longer overdue or stale.
FINAL_STATUSES = frozenset(
    {Status.IMPLEMENTED, Status.WILL_NOT_BE_IMPLEMENTED, Status.NO_LONGER_RELEVANT}
)
# Statuses of lines still open: they can be overdue or stale.
OPEN_STATUSES = [s for s in Status.values if s not in FINAL_STATUSES]
# The scale of progress the roll-up takes the most advanced status from.
PROGRESS_ORDER = [
    Status.NO_INFORMATION,
    Status.NOT_STARTED,
    Status.PLANNED,
    Status.IN_PROGRESS,
    Status.PARTIALLY_IMPLEMENTED,
    Status.IMPLEMENTED,
]
