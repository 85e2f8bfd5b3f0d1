"""The groups a recommendation belongs to besides its theme, as every report shows them:
civil society's agenda points, the Global Compact's objectives and the SDG targets. A
recommendation has zero or more of each, so each kind's summary table has a row for those
with none, its rows add up to recommendation-group pairs, and a report grouped by one kind
lists a recommendation under each of its groups."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hearings.models import AgendaPoint, GcmObjective, SdgTarget


@dataclass(frozen=True)
class NoGroup:
    """A summary table's row (and a report's section) for recommendations in no group."""

    title: str
    number = None
    pk = None

    def __str__(self):
        return str(self.title)

    @property
    def local_title(self) -> str:
        return str(self.title)  # translated already (gettext_lazy)


@dataclass(frozen=True)
class GroupKind:
    key: str  # the grouping and the list's filter: agenda, gcm, sdg
    column: str  # the follow-up sheet's column of the group keys
    model: type
    order: str
    relation: str  # Recommendation's many-to-many field
    heading: str  # the summary table's title
    label: str  # its first column
    none: str  # its row for recommendations in none
    all_rows: str  # its total of every row
    grouping: str  # "grouped by ..." on a cover

    def groups(self) -> list:
        return list(self.model.objects.order_by(self.order))

    def no_group(self) -> NoGroup:
        return NoGroup(self.none)

    def of(self, rec) -> list:
        """The recommendation's groups (prefetched with _recommendations)."""
        return list(getattr(rec, self.relation).all())

    def section_title(self, group) -> str:
        title = group.local_title
        if self.key == "agenda":
            return _("Agenda point %(n)s: %(title)s") % {"n": group.number, "title": title}
        if self.key == "gcm":
            return _("Objective %(n)s: %(title)s") % {"n": group.number, "title": title}
        return _("Target %(code)s: %(title)s") % {"code": group.code, "title": title}

    def fact(self, rec) -> str:
        """The recommendation's groups in a report's facts ("" for none)."""
        if self.key == "agenda":
            return "; ".join(f"{p.number}. {p.local_title}" for p in self.of(rec))
        return "; ".join(group.short_label for group in self.of(rec))


AGENDA = GroupKind(
    "agenda", "agenda_points", AgendaPoint, "number", "agenda_points",
    gettext_lazy("Recommendations by action agenda point and status"),
    gettext_lazy("Agenda point"), gettext_lazy("No agenda point"),
    gettext_lazy("All rows (a recommendation under two agenda points counts under each)"),
    gettext_lazy("action agenda point"),
)  # fmt: skip
GCM = GroupKind(
    "gcm", "gcm_objectives", GcmObjective, "number", "gcm_objectives",
    gettext_lazy("Recommendations by Global Compact objective and status"),
    gettext_lazy("Global Compact objective"), gettext_lazy("No Global Compact objective"),
    gettext_lazy("All rows (a recommendation under two objectives counts under each)"),
    gettext_lazy("Global Compact objective"),
)  # fmt: skip
SDG = GroupKind(
    "sdg", "sdg_targets", SdgTarget, "position", "sdg_targets",
    gettext_lazy("Recommendations by SDG target and status"),
    gettext_lazy("SDG target"), gettext_lazy("No SDG target"),
    gettext_lazy("All rows (a recommendation under two targets counts under each)"),
    gettext_lazy("SDG target"),
)  # fmt: skip
KINDS = {kind.key: kind for kind in (AGENDA, GCM, SDG)}
