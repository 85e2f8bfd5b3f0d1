"""Reading and validating the catalogue's translations (locale/content/, its README), and
merging them into the rows the loader has just written (hearings/loading.py).

Every problem is collected and reported with the file, the entry, its line and the
language (an unknown key, a missing or unknown language, an empty or over-long name, a
character hearings/text.py refuses, a YAML syntax error): any error, nothing is written.

The rule for what a coordinator edited (the loader's three-way merge, per column):
each row's `source_values` keeps what the file last set for `title_fr`, `name_ar`...
A translation the file did not change keeps whatever the app holds; one the file changed
is written only where the app's value is still the one the file set before (or empty
and never loaded); otherwise the coordinator's is kept and the conflict reported. The
report's title and mandate are not editable in the app: they follow the file.
"""

from pathlib import Path

from .data_files import CatalogueError, load_yaml
from .models import Recommendation
from .text import unsafe_character
from .translation import OTHER_LANGUAGES, column

MEMBER_STATES = "member-states.yaml"
MEMBER_STATES_SHORT = "member-states-short.yaml"
ACTORS = "actors.yaml"
REFERENCE = "reference.yaml"
RECOMMENDATIONS = "recommendations.yaml"
# kind -> key -> {column: value}; the report's key is "report".
Translations = dict[str, dict[str, dict[str, str]]]


class _Reader:
    def __init__(self, catalogue):
        self.errors: list[str] = []
        self.out: Translations = {}
        self.actors = {a.key: a for a in catalogue.actors}
        self.known = {
            "theme": {t.key: t for t in catalogue.themes},
            "agenda point": {p.key: p for p in catalogue.agenda_points},
            "Global Compact objective": {o.key: o for o in catalogue.gcm_objectives},
            "SDG target": {t.key: t for t in catalogue.sdg_targets},
        }
        self.codes = {r.code for r in catalogue.recommendations}

    def names(self, where: str, value, field: str, max_length: int, *, english_ok=False):
        """{column: text} of one field in the five languages; errors collected."""
        if not isinstance(value, dict):
            self.errors.append(f"{where}: '{field}' must map each language to its text")
            return {}
        found = {}
        for language, text in value.items():
            if language == "__line__" or (english_ok and language == "en"):
                continue
            if language not in OTHER_LANGUAGES:
                self.errors.append(f"{where}: '{field}': unknown language {language!r}")
            elif not isinstance(text, str) or not text.strip():
                self.errors.append(f"{where}: '{field}' in {language}: empty or not text")
            elif len(text.strip()) > max_length:
                self.errors.append(
                    f"{where}: '{field}' in {language}: longer than {max_length} characters"
                )
            elif (bad := unsafe_character(text)) is not None:
                self.errors.append(
                    f"{where}: '{field}' in {language}: character {bad[1]!r} not allowed"
                )
            else:
                found[column(field, language)] = text.strip()
        for language in OTHER_LANGUAGES:
            if language not in value:
                self.errors.append(f"{where}: '{field}': language {language!r} missing")
        return found

    def entries(self, file_name: str, data, skip=()):
        """(key, entry, where) of a mapping of keys to entries."""
        if not isinstance(data, dict):
            self.errors.append(f"{file_name}: expected a mapping of keys to entries")
            return []
        line = data.get("__line__")
        return [
            (key, entry, f"{file_name}, entry {key!r} (line {self._line(entry, line)})")
            for key, entry in data.items()
            if key != "__line__" and key not in skip
        ]

    @staticmethod
    def _line(entry, default):
        return entry.get("__line__", default) if isinstance(entry, dict) else default

    def put(self, kind: str, key: str, values: dict):
        self.out.setdefault(kind, {}).setdefault(key, {}).update(values)

    def member_states(self, folder: Path):
        data = load_yaml(folder / MEMBER_STATES)
        short = load_yaml(folder / MEMBER_STATES_SHORT)
        short = short if isinstance(short, dict) else {}
        for key, entry, where in self.entries(MEMBER_STATES, data, skip=("doubtful",)):
            actor = self.actors.get(key)
            if actor is None or actor.kind != "member-state":
                self.errors.append(f"{where}: unknown Member State key")
                continue
            names = self.names(where, entry, "name", 200)
            values = dict(names)
            if key in short:
                short_where = f"{MEMBER_STATES_SHORT}, entry {key!r}"
                shorts = self.names(short_where, short[key], "short_name", 80)
                values.update(shorts)
            elif actor.short_name != actor.name:
                self.errors.append(f"{where}: short name missing from {MEMBER_STATES_SHORT}")
            else:  # the menu form is the name, as in English
                values.update({c.replace("name_", "short_name_", 1): v for c, v in names.items()})
            self.put("actor", key, values)
        for key, _entry, where in self.entries(MEMBER_STATES_SHORT, short):
            if key not in (data or {}):
                self.errors.append(f"{where}: not in {MEMBER_STATES}")

    def other_actors(self, folder: Path):
        data = load_yaml(folder / ACTORS)
        for key, entry, where in self.entries(ACTORS, data):
            actor = self.actors.get(key)
            if actor is None or actor.kind == "member-state" or not isinstance(entry, dict):
                self.errors.append(f"{where}: unknown actor key")
                continue
            values = self.names(where, entry.get("name"), "name", 200)
            values.update(self.names(where, entry.get("short_name"), "short_name", 80))
            self.put("actor", key, values)

    def reference(self, folder: Path):
        data = load_yaml(folder / REFERENCE)
        if not isinstance(data, dict):
            self.errors.append(f"{REFERENCE}: expected a mapping")
            return
        report = data.get("report") or {}
        where = f"{REFERENCE}, 'report'"
        values = self.names(where, report.get("title"), "title", 500)
        values.update(self.names(where, report.get("mandate"), "mandate", 200))
        self.put("report", "report", values)
        groups = [
            ("themes", "theme", None, 200),
            ("agenda_points", "agenda point", None, 300),
            ("gcm_objectives", "Global Compact objective", "number", 300),
            ("sdg_targets", "SDG target", "code", 500),
        ]
        for section, kind, number, max_length in groups:
            for key, entry, where in self.entries(f"{REFERENCE}, {section}", data.get(section)):
                known = self.known[kind].get(key)
                if known is None:
                    self.errors.append(f"{where}: unknown {kind} key")
                elif number is None:
                    self.put(kind, key, self.names(where, entry, "title", max_length))
                elif not isinstance(entry, dict):
                    self.errors.append(f"{where}: expected a mapping")
                else:
                    if number in entry and str(entry[number]) != str(getattr(known, number)):
                        self.errors.append(f"{where}: {number} {entry[number]!r} is not the key's")
                    values = self.names(where, entry.get("title"), "title", max_length)
                    short = entry.get("short_title")
                    values.update(self.names(where, short, "short_title", 80, english_ok=True))
                    self.put(kind, key, values)
        # Menu forms of the agenda points: checked, not stored (the points have no short title).
        shorts = data.get("agenda_point_short_titles")
        for key, entry, where in self.entries(f"{REFERENCE}, agenda_point_short_titles", shorts):
            if key not in self.known["agenda point"]:
                self.errors.append(f"{where}: unknown agenda point key")
            else:
                self.names(where, entry, "short_title", 80, english_ok=True)

    def recommendations(self, folder: Path):
        """The recommendations' titles (this project's English paraphrases, translated);
        their verbatim text stays English."""
        data = load_yaml(folder / RECOMMENDATIONS)
        entries = self.entries(RECOMMENDATIONS, data)
        # Gone from the catalogue but still in the database: withdrawn, their titles stay.
        gone = {code for code, _entry, _where in entries if code not in self.codes}
        withdrawn = set(Recommendation.objects.filter(code__in=gone).values_list("code", flat=True))
        for code, entry, where in entries:
            if code in withdrawn:
                continue
            if code not in self.codes:
                self.errors.append(f"{where}: unknown recommendation code")
            elif not isinstance(entry, dict):
                self.errors.append(f"{where}: expected a mapping")
            else:
                titles = self.names(where, entry.get("title"), "title", 200)
                self.put("recommendation", code, titles)


def read_translations(folder: Path, catalogue) -> Translations:
    """The translations in `folder`, validated against the catalogue just read; raises
    CatalogueError listing every problem."""
    reader = _Reader(catalogue)
    steps = (reader.member_states, reader.other_actors, reader.reference, reader.recommendations)
    for step in steps:
        try:
            step(Path(folder))
        except CatalogueError as error:  # unreadable file or bad YAML: the others too
            reader.errors.extend(error.errors)
    if reader.errors:
        raise CatalogueError(reader.errors)
    return reader.out


def translations_apply(applier, translations: Translations):
    """Merge the translations into the rows the loader holds (see the module's rule)."""
    report = applier.report
    changed = {
        name: value
        for name, value in translations.get("report", {}).get("report", {}).items()
        if getattr(report, name) != value
    }
    if changed:
        for name, value in changed.items():
            setattr(report, name, value)
        report.save(update_fields=list(changed))
        applier.result.count("translation", applier.result.updated)
    rows = {
        "theme": applier.themes,
        "agenda point": applier.agenda_points,
        "Global Compact objective": applier.gcm_objectives,
        "SDG target": applier.sdg_targets,
        "actor": applier.actors,
        "recommendation": applier.recommendations,
    }
    for kind, by_key in rows.items():
        for key, file_values in translations.get(kind, {}).items():
            row = by_key[key]
            first = not any(name in (row.source_values or {}) for name in file_values)
            app_values = {name: getattr(row, name) for name in file_values}
            to_write = applier.merge(row, f"{kind} {key}", file_values, app_values)
            if first and to_write:
                # A row's first translations are filled like its creation from the file:
                # one UPDATE, no audit entry per row (later file changes are audited).
                for name, value in to_write.items():
                    setattr(row, name, value)
                type(row).objects.filter(pk=row.pk).update(
                    **to_write, source_values=row.source_values
                )
                applier.result.count("translation", applier.result.updated)
            elif applier._save(row, to_write):
                applier.result.count("translation", applier.result.updated)
