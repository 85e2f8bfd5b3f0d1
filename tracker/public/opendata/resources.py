"""The open data's resources and their fields, written once: the CSV header and the JSON
keys are these names, in this order, and the data package's table schemas say the same.

Names are stable: a column is added at the end of its resource, never renamed or moved.
Keys are the catalogue's own (theme, agenda point, actor, objective and target keys as in
hearings/data/). Lists (agenda points, addressees...) are one cell of keys separated by
single spaces in CSV, and arrays in JSON.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hearings.models import ActorKind
from tracker.vocabulary import Status

LIST_SEPARATOR = " "


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema's: string, integer, date, datetime
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    is_list: bool = False  # several values: space-separated in CSV, an array in JSON
    only_with_target_dates: bool = False  # present only while target dates are public


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str  # "" for the resource itself
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    # Follows ?as_of= (the follow-up); the catalogue is always as it is now.
    dated: bool = False

    def fields_for(self, *, target_dates: bool) -> list[Field]:
        """The fields served: a target date column only while target dates are public."""
        return [f for f in self.fields if target_dates or not f.only_with_target_dates]


STATUSES = tuple(Status.values)


def _status(name, description, required=True) -> Field:
    return Field(name, "string", description, required=required, enum=STATUSES)


RECOMMENDATIONS = Resource(
    "recommendations",
    _("Recommendations"),
    _(
        "Every recommendation in the catalogue, main entries and restatements, with its "
        "source paragraph, theme, tags and overall status. Restatements carry the status "
        "of the main recommendation they restate."
    ),
    (
        Field("code", "string", _("Stable code, never renumbered (R30a, R30.2)."), True),
        Field("restates", "string", _("For a restatement: the code of the main recommendation.")),
        Field("paragraph", "integer", _("The report's paragraph it comes from."), True),
        Field("chapter", "string", _("The report's chapter (its Roman numeral)."), True),
        Field("item", "string", _("The report's own letter, where the paragraph lists items.")),
        Field("title", "string", _("A short title."), True),
        Field("text", "string", _("The verbatim text, exactly as in the report."), True),
        Field("theme", "string", _("Theme key."), True),
        Field("agenda_points", "string", _("Action agenda point keys."), is_list=True),
        Field("gcm_objectives", "string", _("Global Compact objective keys."), is_list=True),
        Field("sdg_targets", "string", _("SDG target keys."), is_list=True),
        Field("addressees", "string", _("Keys of the actors it asks to act."), is_list=True),
        _status(
            "overall_status",
            _("Overall status, rolled up from the public lines (as of the date, if one is given)."),
        ),
    ),
    primary_key=("code",),
    foreign_keys=(
        ForeignKey(("restates",), "", ("code",)),
        ForeignKey(("theme",), "themes", ("key",)),
    ),
    dated=True,
)

LINES = Resource(
    "lines",
    _("Follow-up lines"),
    _(
        "One row per public follow-up line: a main recommendation followed up by one actor, "
        "with the line's status and the date it took effect."
    ),
    (
        Field("recommendation", "string", _("Recommendation code."), True),
        Field("actor", "string", _("Actor key."), True),
        _status("status", _("Status (as of the date, if one is given).")),
        Field("status_since", "date", _("The date the status took effect.")),
        Field(
            "target_date",
            "date",
            _("The date the follow-up is expected by."),
            only_with_target_dates=True,
        ),
    ),
    primary_key=("recommendation", "actor"),
    foreign_keys=(
        ForeignKey(("recommendation",), "recommendations", ("code",)),
        ForeignKey(("actor",), "actors", ("key",)),
    ),
    dated=True,
)

UPDATES = Resource(
    "updates",
    _("Published status updates"),
    _(
        "The status updates whose note has been published, on public lines: the status, the "
        "date it took effect, the note and its evidence links."
    ),
    (
        Field("id", "integer", _("The update's number, stable."), True),
        Field("recommendation", "string", _("Recommendation code."), True),
        Field("actor", "string", _("Actor key."), True),
        _status("status", _("The status the update records.")),
        Field("effective_date", "date", _("The date the status took effect."), True),
        Field("note", "string", _("The published note."), True),
        Field("evidence_links", "string", _("Evidence links (web addresses)."), is_list=True),
        Field("published_at", "datetime", _("When the note was published (UTC)."), True),
    ),
    primary_key=("id",),
    foreign_keys=(ForeignKey(("recommendation", "actor"), "lines", ("recommendation", "actor")),),
    dated=True,
)

ACTORS = Resource(
    "actors",
    _("Actors"),
    _("Who the report addresses or mentions, the 193 Member States included."),
    (
        Field("key", "string", _("Stable key."), True),
        Field("name", "string", _("Full name."), True),
        Field("short_name", "string", _("Short name."), True),
        Field("kind", "string", _("Kind of actor."), True, enum=tuple(ActorKind.values)),
        Field("groups", "string", _("Keys of the groups it belongs to."), is_list=True),
    ),
    primary_key=("key",),
)

THEMES = Resource(
    "themes",
    _("Themes"),
    _("The report's four themes."),
    (
        Field("key", "string", _("Stable key."), True),
        Field("number", "integer", _("Number."), True),
        Field("title", "string", _("Title."), True),
        Field("chapter", "string", _("The chapter it comes from (its Roman numeral).")),
    ),
    primary_key=("key",),
)

AGENDA_POINTS = Resource(
    "agenda-points",
    _("Action agenda points"),
    _("Civil society's eight-point, five-year action agenda."),
    (
        Field("key", "string", _("Stable key."), True),
        Field("number", "integer", _("Number."), True),
        Field("title", "string", _("Title."), True),
        Field("theme", "string", _("Theme key."), True),
    ),
    primary_key=("key",),
    foreign_keys=(ForeignKey(("theme",), "themes", ("key",)),),
)

GCM_OBJECTIVES = Resource(
    "gcm-objectives",
    _("Global Compact objectives"),
    _("The 23 objectives of the Global Compact for Safe, Orderly and Regular Migration."),
    (
        Field("key", "string", _("Stable key."), True),
        Field("number", "integer", _("Number."), True),
        Field("title", "string", _("The objective's wording in resolution 73/195."), True),
        Field("short_title", "string", _("A few words for menus and tables."), True),
    ),
    primary_key=("key",),
)

SDG_TARGETS = Resource(
    "sdg-targets",
    _("SDG targets"),
    _("Targets of the Sustainable Development Goals the recommendations serve."),
    (
        Field("key", "string", _("Stable key."), True),
        Field("code", "string", _("The target's number (10.7)."), True),
        Field("goal", "integer", _("The goal."), True),
        Field("title", "string", _("The target's wording in resolution 70/1."), True),
        Field("short_title", "string", _("A few words for menus and tables."), True),
    ),
    primary_key=("key",),
)

RESOURCES = {
    resource.name: resource
    for resource in (
        RECOMMENDATIONS,
        LINES,
        UPDATES,
        ACTORS,
        THEMES,
        AGENDA_POINTS,
        GCM_OBJECTIVES,
        SDG_TARGETS,
    )
}
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
