"""Reading the frameworks from the data files: the Global Compact's objectives and the SDG
targets in reference.yaml, and the tags of each catalogue entry (`gcm:` and `sdg:` lists
of {key, reason}). Every problem is collected, naming the file, the entry, the line and
the field, like the rest of hearings/catalogue.py."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .data_files import Entry, mappings, unique
from .frameworks import SDG_CODE
from .text import validate_safe_text

MAX_TAGS = 3  # per entry, of each framework: only where the fit is real
REASON_MAX_LENGTH = 300  # GcmTag.reason, SdgTag.reason
SHORT_TITLE_MAX_LENGTH = 80
GCM_OBJECTIVES = 23


@dataclass(frozen=True)
class GcmObjectiveData:
    key: str
    number: int
    title: str
    short_title: str


@dataclass(frozen=True)
class SdgTargetData:
    key: str
    code: str
    goal: int
    title: str
    short_title: str


@dataclass(frozen=True)
class TagData:
    key: str
    reason: str


@dataclass(frozen=True)
class Frameworks:
    objectives: list[GcmObjectiveData]
    targets: list[SdgTargetData]

    @property
    def keys(self) -> dict[str, set[str]]:
        """The known keys, by the catalogue field that names them."""
        return {"gcm": {o.key for o in self.objectives}, "sdg": {t.key for t in self.targets}}


def _titles(entry: Entry, max_length: int) -> tuple[str, str]:
    title, short_title = entry.text("title"), entry.text("short_title")
    if len(title) > max_length:
        entry.error("title", f"is {len(title)} characters long; at most {max_length}")
    if len(short_title) > SHORT_TITLE_MAX_LENGTH:
        entry.error(
            "short_title",
            f"is {len(short_title)} characters long; at most {SHORT_TITLE_MAX_LENGTH} for menus",
        )
    return title, short_title


def read_frameworks(errors, name: str, data: dict) -> Frameworks:
    """The `gcm_objectives` and `sdg_targets` of reference.yaml, checked."""
    objectives = []
    for raw in mappings(errors, name, data.get("gcm_objectives"), "gcm_objectives"):
        entry = Entry(
            errors,
            name,
            raw,
            f"Global Compact objective {raw.get('key')!r}",
            ["key", "number", "title", "short_title"],
        )
        key, number = entry.text("key"), entry.number("number")
        if number > GCM_OBJECTIVES:
            entry.error("number", f"the Global Compact has objectives 1 to {GCM_OBJECTIVES}")
        elif key and number and key != f"gcm-{number}":
            entry.error("key", f"must be 'gcm-{number}' for objective {number}")
        objectives.append(GcmObjectiveData(key, number, *_titles(entry, 300)))
    unique(errors, name, objectives, "key", "Global Compact objective")
    unique(errors, name, objectives, "number", "Global Compact objective")

    targets = []
    for raw in mappings(errors, name, data.get("sdg_targets"), "sdg_targets"):
        entry = Entry(
            errors,
            name,
            raw,
            f"SDG target {raw.get('key')!r}",
            ["key", "code", "title", "short_title"],
        )
        key, code, goal = entry.text("key"), raw.get("code"), 0
        match = SDG_CODE.match(code) if isinstance(code, str) else None
        if match is None:
            entry.error(
                "code",
                f'must be a target of resolution 70/1 in quotes, like "10.7" or "10.c", '
                f"not {code!r}",
            )
            code = ""
        else:
            goal = int(match["goal"])
            if key and key != f"sdg-{code.replace('.', '-')}":
                entry.error("key", f"must be 'sdg-{code.replace('.', '-')}' for target {code}")
        targets.append(SdgTargetData(key, code, goal, *_titles(entry, 500)))
    unique(errors, name, targets, "key", "SDG target")
    unique(errors, name, targets, "code", "SDG target")
    return Frameworks(objectives, targets)


TAG_FIELDS = {"gcm": "Global Compact objective", "sdg": "SDG target"}


def read_tags(entry: Entry, field: str, known: set[str]) -> tuple[TagData, ...]:
    """One entry's `gcm:` or `sdg:` list: zero to three {key, reason}, each key known and
    listed once, each with a reason on one line."""
    what = TAG_FIELDS[field]
    value = entry.raw.get(field)
    if value is None:
        return ()
    if not isinstance(value, list):
        entry.error(field, f"must be a list of {{key, reason}} mappings, not {value!r}")
        return ()
    tags, seen = [], set()
    for index, raw in enumerate(value, start=1):
        if not isinstance(raw, dict):
            entry.error(field, f"tag #{index} must be a mapping with key and reason, not {raw!r}")
            continue
        line = raw.get("__line__", entry.line)

        def error(message, index=index, line=line):
            entry.error(field, f"tag #{index} (line {line}): {message}")

        for unknown in sorted(set(raw) - {"key", "reason", "__line__"}):
            error(f"unknown field '{unknown}' (allowed: key, reason)")
        key, reason = raw.get("key"), raw.get("reason")
        if not isinstance(key, str) or not key:
            error(f"'key' is required: the {what}'s key")
            continue
        if key not in known:
            error(f"unknown {what} '{key}'")
            continue
        if key in seen:
            error(f"lists '{key}' twice")
            continue
        seen.add(key)
        if reason is None or (isinstance(reason, str) and not reason.strip()):
            error(f"'reason' is required for '{key}': one line saying why the fit is real")
            continue
        if not isinstance(reason, str):
            error(f"'reason' must be text, not {reason!r}")
            continue
        reason = reason.strip()
        try:
            validate_safe_text(reason)
        except ValidationError as exc:
            error(f"the reason for '{key}': {exc.messages[0]}")
        if "\n" in reason:
            error(f"the reason for '{key}' must be one line")
        elif len(reason) > REASON_MAX_LENGTH:
            error(
                f"the reason for '{key}' is {len(reason)} characters long; "
                f"at most {REASON_MAX_LENGTH}"
            )
        tags.append(TagData(key, reason))
    if len(value) > MAX_TAGS:
        entry.error(field, f"at most {MAX_TAGS} {what}s per entry, not {len(value)}")
    return tuple(tags)
