"""Reading the reviewable data files: YAML parsed safely with the line each entry starts
on, and one entry's fields read with every error collected, naming the file, the entry,
its line and the field, instead of stopping at the first."""

from datetime import date
from pathlib import Path

import yaml


class CatalogueError(ValueError):
    """One or more problems in the catalogue files; nothing has been written."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# libyaml's parser when PyYAML was built with it (it is in PyYAML's wheels): 10x faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):
    """A safe loader that remembers the line each mapping starts on."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def load_yaml(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CatalogueError([f"{path.name}: file not found ({path})"]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError([f"{path.name}: cannot be read: {exc}"]) from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogueError([f"{path.name}: not valid YAML{where}: {problem}"]) from exc


class Entry:
    """Reads the fields of one YAML mapping, collecting errors instead of raising."""

    def __init__(self, errors, file_name, raw, label, allowed):
        self.errors = errors
        self.file_name = file_name
        self.raw = raw
        self.line = raw.get("__line__", "?")
        self.label = label
        unknown = sorted(set(raw) - set(allowed) - {"__line__"})
        for name in unknown:
            self.error(name, f"unknown field (allowed: {', '.join(allowed)})")

    def error(self, field, message):
        self.errors.append(
            f"{self.file_name}, {self.label} (line {self.line}), field '{field}': {message}"
        )

    def text(self, field, required=True, default=""):
        value = self.raw.get(field)
        if value is None:
            if required:
                self.error(field, "is required")
            return default
        if not isinstance(value, str) or not value.strip():
            self.error(field, f"must be non-empty text, not {value!r}")
            return default
        return value

    def number(self, field):
        value = self.raw.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(field, f"must be a positive whole number, not {value!r}")
            return 0
        return value

    def date(self, field):
        value = self.raw.get(field)
        if not isinstance(value, date):
            self.error(field, f"must be a date (YYYY-MM-DD), not {value!r}")
            return date.min
        return value

    def keys(self, field, known, what):
        value = self.raw.get(field)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(field, f"must be a list of {what} keys, not {value!r}")
            return ()
        for key in value:
            if key not in known:
                self.error(field, f"unknown {what} '{key}'")
        if len(set(value)) != len(value):
            self.error(field, "lists the same key twice")
        return tuple(value)


def mappings(errors, file_name, value, what):
    if not isinstance(value, list):
        errors.append(f"{file_name}: '{what}' must be a list of entries")
        return []
    good = []
    for index, raw in enumerate(value, start=1):
        if isinstance(raw, dict):
            good.append(raw)
        else:
            errors.append(f"{file_name}: {what} entry #{index} is not a mapping: {raw!r}")
    return good


def unique(errors, file_name, items, attribute, what):
    seen = set()
    for item in items:
        value = getattr(item, attribute)
        if value in seen:
            errors.append(f"{file_name}: duplicate {what} {attribute} '{value}'")
        seen.add(value)
