"""Read and validate the catalogue files in hearings/data/ against the parsed report.

reference.yaml (the report's metadata, themes, agenda points, the Global Compact's
objectives and the SDG targets: hearings/framework_files.py), actors.yaml and
catalogue.yaml (the recommendations) are reviewable data, not code. Everything is
checked before anything is written: every error names the file, the entry, its line and
the field, so a reviewer can fix the file without reading this module.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .data_files import CatalogueError, Entry, load_yaml, mappings, unique
from .framework_files import (
    TAG_FIELDS,
    GcmObjectiveData,
    SdgTargetData,
    TagData,
    read_frameworks,
    read_tags,
)
from .report_text import ParsedReport

REFERENCE_FILE = "reference.yaml"
# Actors the report names, then the 193 UN Member States (in the `governments` group).
ACTOR_FILES = ["actors.yaml", "member-states.yaml"]
CATALOGUE_FILE = "catalogue.yaml"

CODE_RE = re.compile(r"^R(?P<paragraph>\d{1,3})(?:(?P<item>[a-z])|\.(?P<ask>\d{1,2}))$")
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_AGENDA_POINTS = 2

ACTOR_KINDS = {
    "member-state",
    "un-entity",
    "intergovernmental-forum",
    "civil-society",
    "private-sector",
    "local-authority",
    "group",
    "other",
}


@dataclass(frozen=True)
class ReportData:
    title: str
    symbol: str
    hearing_date: date
    dialogue_start: date
    dialogue_end: date
    mandate: str


@dataclass(frozen=True)
class ThemeData:
    key: str
    number: int
    title: str
    chapter: str | None


@dataclass(frozen=True)
class AgendaPointData:
    key: str
    number: int
    title: str
    theme: str


@dataclass(frozen=True)
class ActorData:
    key: str
    name: str
    short_name: str
    kind: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class RecommendationData:
    code: str
    paragraph: int
    item: str
    title: str
    text: str
    theme: str
    addressees: tuple[str, ...]
    inferred_addressees: tuple[str, ...]
    mentioned: tuple[str, ...]
    agenda: tuple[str, ...]
    restates: str | None
    position: int
    line: int = 0
    gcm: tuple[TagData, ...] = ()  # Global Compact objectives, with their reasons
    sdg: tuple[TagData, ...] = ()  # SDG targets, with their reasons


@dataclass(frozen=True)
class Catalogue:
    report: ReportData
    themes: list[ThemeData]
    agenda_points: list[AgendaPointData]
    actors: list[ActorData]
    recommendations: list[RecommendationData]
    gcm_objectives: list[GcmObjectiveData] = field(default_factory=list)
    sdg_targets: list[SdgTargetData] = field(default_factory=list)


def _read_reference(errors, path, report: ParsedReport):
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise CatalogueError(
            [
                f"{path.name}: must be a mapping with report, themes, agenda_points, "
                "gcm_objectives, sdg_targets"
            ]
        )
    name = path.name
    raw_report = data.get("report")
    if not isinstance(raw_report, dict):
        errors.append(f"{name}: 'report' must be a mapping")
        raw_report = {}
    entry = Entry(
        errors,
        name,
        raw_report,
        "report",
        ["title", "symbol", "hearing_date", "dialogue_start", "dialogue_end", "mandate"],
    )
    report_data = ReportData(
        title=entry.text("title"),
        symbol=entry.text("symbol", required=False),
        hearing_date=entry.date("hearing_date"),
        dialogue_start=entry.date("dialogue_start"),
        dialogue_end=entry.date("dialogue_end"),
        mandate=entry.text("mandate", required=False),
    )
    if report_data.dialogue_end < report_data.dialogue_start:
        entry.error("dialogue_end", "is before dialogue_start")

    numerals = {chapter.numeral for chapter in report.chapters}
    themes = []
    for raw in mappings(errors, name, data.get("themes"), "themes"):
        entry = Entry(
            errors, name, raw, f"theme {raw.get('key')!r}", ["key", "number", "title", "chapter"]
        )
        key = entry.text("key")
        if key and not KEY_RE.match(key):
            entry.error("key", "must be lower-case words joined by hyphens")
        chapter = raw.get("chapter")
        if chapter is not None and chapter not in numerals:
            entry.error("chapter", f"unknown chapter '{chapter}' (the report has I to X)")
        themes.append(ThemeData(key, entry.number("number"), entry.text("title"), chapter))
    unique(errors, name, themes, "key", "theme")
    unique(errors, name, themes, "number", "theme")

    theme_keys = {theme.key for theme in themes}
    points = []
    for raw in mappings(errors, name, data.get("agenda_points"), "agenda_points"):
        entry = Entry(
            errors,
            name,
            raw,
            f"agenda point {raw.get('key')!r}",
            ["key", "number", "title", "theme"],
        )
        key = entry.text("key")
        if key and not KEY_RE.match(key):
            entry.error("key", "must be lower-case words joined by hyphens")
        theme = entry.text("theme")
        if theme and theme not in theme_keys:
            entry.error("theme", f"unknown theme '{theme}'")
        points.append(AgendaPointData(key, entry.number("number"), entry.text("title"), theme))
    unique(errors, name, points, "key", "agenda point")
    unique(errors, name, points, "number", "agenda point")
    return report_data, themes, points, read_frameworks(errors, name, data)


def _read_actors(errors, paths):
    actors = []
    files = [(path.name, mappings(errors, path.name, load_yaml(path), "actors")) for path in paths]
    known = {raw.get("key") for _name, raw_actors in files for raw in raw_actors}
    for name, raw in ((name, raw) for name, raw_actors in files for raw in raw_actors):
        entry = Entry(
            errors,
            name,
            raw,
            f"actor {raw.get('key')!r}",
            ["key", "name", "short_name", "kind", "groups"],
        )
        key = entry.text("key")
        if key and not KEY_RE.match(key):
            entry.error("key", "must be lower-case words joined by hyphens")
        kind = entry.text("kind")
        if kind and kind not in ACTOR_KINDS:
            entry.error("kind", f"unknown kind '{kind}' (known: {', '.join(sorted(ACTOR_KINDS))})")
        groups = entry.keys("groups", known, "actor")
        if key in groups:
            entry.error("groups", "an actor cannot be a member of itself")
        full_name = entry.text("name")
        actors.append(
            ActorData(
                key,
                full_name,
                entry.text("short_name", required=False, default=full_name),
                kind,
                groups,
            )
        )
    names = " and ".join(path.name for path in paths)
    unique(errors, names, actors, "key", "actor")
    unique(errors, names, actors, "name", "actor")
    return actors


RECOMMENDATION_FIELDS = [
    "code",
    "paragraph",
    "item",
    "title",
    "text",
    "theme",
    "addressees",
    "inferred_addressees",
    "mentioned",
    "agenda",
    "gcm",
    "sdg",
    "restates",
]


def _read_recommendations(errors, path, report: ParsedReport, themes, points, actors, frameworks):
    name = path.name
    framework_keys = frameworks.keys
    theme_keys = {t.key for t in themes}
    point_keys = {p.key for p in points}
    actor_keys = {a.key for a in actors}
    entries = []
    raw_entries = mappings(errors, name, load_yaml(path), "recommendations")
    # Report order: paragraph, then the entry's place among that paragraph's entries in the
    # file, so inserting an entry moves only its own paragraph's neighbours.
    places: dict[int, int] = {}
    for index, raw in enumerate(raw_entries, start=1):
        code = raw.get("code")
        entry = Entry(errors, name, raw, f"entry {code or '#' + str(index)}", RECOMMENDATION_FIELDS)
        code = entry.text("code")
        paragraph = entry.number("paragraph")
        item = raw.get("item") or ""
        if item and not (isinstance(item, str) and re.fullmatch(r"[a-z]", item)):
            entry.error("item", f"must be one lower-case letter, not {item!r}")
            item = ""
        if paragraph and not 1 <= paragraph <= len(report.paragraphs):
            entry.error("paragraph", f"unknown paragraph {paragraph} (the report has 1 to 59)")
            paragraph = 0
        match = CODE_RE.match(code) if code else None
        if code and not match:
            entry.error("code", "must look like R30a (report's own letter) or R30.2 (n-th ask)")
        elif match and paragraph:
            if int(match["paragraph"]) != paragraph:
                entry.error("code", f"names paragraph {match['paragraph']}, not {paragraph}")
            if (match["item"] or "") != item:
                entry.error("item", f"'{item}' does not agree with the code {code}")
        text = entry.text("text")
        if text and paragraph and text not in report.paragraph(paragraph).text:
            entry.error("text", f"does not occur verbatim in paragraph {paragraph}")
        theme = entry.text("theme")
        if theme and theme not in theme_keys:
            entry.error(
                "theme", f"unknown theme '{theme}' (known: {', '.join(sorted(theme_keys))})"
            )
        addressees = entry.keys("addressees", actor_keys, "actor")
        inferred = entry.keys("inferred_addressees", actor_keys, "actor")
        if not addressees and not inferred:
            entry.error(
                "addressees", "at least one addressed actor is required (named or inferred)"
            )
        if set(addressees) & set(inferred):
            entry.error("inferred_addressees", "repeats an actor listed in addressees")
        mentioned = entry.keys("mentioned", actor_keys, "actor")
        if set(mentioned) & (set(addressees) | set(inferred)):
            entry.error("mentioned", "repeats an addressed actor")
        agenda = entry.keys("agenda", point_keys, "agenda point")
        if len(agenda) > MAX_AGENDA_POINTS:
            entry.error("agenda", f"at most {MAX_AGENDA_POINTS} agenda points per entry")
        restates = raw.get("restates")
        if restates is not None and not isinstance(restates, str):
            entry.error("restates", f"must be a reference code, not {restates!r}")
            restates = None
        tags = {f: read_tags(entry, f, framework_keys[f]) for f in TAG_FIELDS}
        for tag_field in TAG_FIELDS:
            if restates and raw.get(tag_field):
                entry.error(
                    tag_field, f"a restatement is not tagged: tag its main entry {restates}"
                )
        places[paragraph] = places.get(paragraph, 0) + 1
        entries.append(
            RecommendationData(
                code=code,
                paragraph=paragraph,
                item=item,
                title=entry.text("title"),
                text=text,
                theme=theme,
                addressees=addressees,
                inferred_addressees=inferred,
                mentioned=mentioned,
                agenda=agenda,
                restates=restates,
                position=paragraph * 1000 + places.setdefault(paragraph, 0),
                line=entry.line,
                gcm=tags["gcm"],
                sdg=tags["sdg"],
            )
        )
    unique(errors, name, entries, "code", "entry")
    items = [(e.paragraph, e.item) for e in entries if e.item]
    if len(items) != len(set(items)):
        errors.append(f"{name}: the same (paragraph, item) letter is used by two entries")

    by_code = {e.code: e for e in entries}
    for e in entries:
        if e.restates is None:
            continue
        label = f"{name}, entry {e.code} (line {e.line}), field 'restates'"
        main = by_code.get(e.restates)
        if main is None:
            errors.append(f"{label}: unknown entry '{e.restates}'")
        elif main.code == e.code:
            errors.append(f"{label}: an entry cannot restate itself")
        elif main.restates is not None:
            errors.append(
                f"{label}: '{main.code}' is itself a restatement (of '{main.restates}'); "
                "name the main entry"
            )
    return entries


def read_catalogue(data_dir: Path, report: ParsedReport) -> Catalogue:
    """Read the data files and validate them; raise CatalogueError listing every problem."""
    data_dir = Path(data_dir)
    errors: list[str] = []
    report_data, themes, points, frameworks = _read_reference(
        errors, data_dir / REFERENCE_FILE, report
    )
    actors = _read_actors(errors, [data_dir / name for name in ACTOR_FILES])
    recommendations = _read_recommendations(
        errors, data_dir / CATALOGUE_FILE, report, themes, points, actors, frameworks
    )
    if errors:
        raise CatalogueError(errors)
    return Catalogue(
        report_data,
        themes,
        points,
        actors,
        recommendations,
        gcm_objectives=frameworks.objectives,
        sdg_targets=frameworks.targets,
    )
