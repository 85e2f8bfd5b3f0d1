"""How an audit entry reads: field labels and display values, not field names and raw values.

What django-auditlog 3 stores, as the tests find it by making changes
(tests/audit/test_changes.py):

- a changed field: `{"name": [before, after]}`, each value as text: `"None"` for no value
  (every "before" of a creation), `"True"`/`"False"`, a date as `"2014-10-03"`, a date and
  time in UTC without its zone (`"2014-10-03 09:30:00"`), a foreign key as the related
  row's id (`"12"`), a choice as its stored value (`"focal-point"`);
- a many-to-many change: `{"name": {"type": "m2m", "operation": "add" | "delete",
  "objects": [...]}}`, the objects as their names when the change was made; ids (numbers)
  are read too, as are plain lists of ids;
- a lockout or an unlocking (tracker.accounts.lockouts): a key that is no field
  (`"login"`), with its two texts.

Names behind ids (foreign keys, many-to-many ids) are looked up in bulk for a whole page
or batch of entries: one query per related model found in them, never one per entry.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

# The mark tracker.accounts.lockouts puts on the entries of lockouts and unlockings.
LOCKOUT_EVENT = "login-lockout"
# The mark a management command puts on its entries (`additional_data`, as in
# `manage.py public_site`): the command's name.
COMMAND_KEY = "command"
# Actions that read better in the words of the page that made them than as "Create" and
# "Delete": publishing a note is creating its publication, letting an item back into
# public view deleting its withholding (tracker.publication).
ACTION_WORDS = {
    ("publication.notepublication", LogEntry.Action.CREATE): _lazy("Published"),
    ("publication.notepublication", LogEntry.Action.DELETE): _lazy("Withdrawn from public view"),
    ("publication.withholding", LogEntry.Action.CREATE): _lazy("Kept out of public view"),
    ("publication.withholding", LogEntry.Action.DELETE): _lazy("Let back into public view"),
}
# django-auditlog's own words for its actions, which it does not translate.
GENERIC_ACTION_WORDS = {
    LogEntry.Action.CREATE: pgettext_lazy("audit log action", "Create"),
    LogEntry.Action.UPDATE: pgettext_lazy("audit log action", "Update"),
    LogEntry.Action.DELETE: pgettext_lazy("audit log action", "Delete"),
    LogEntry.Action.ACCESS: pgettext_lazy("audit log action", "Access"),
}
# Names whose text (the model's __str__) follows relations: read with them, so that the
# bulk look-up stays one query per model.
NAME_RELATIONS = {
    "tracker.statusupdate": ("line__recommendation", "line__actor"),
    "tracker.followupline": ("recommendation", "actor"),
}
DATE_FORMAT = "DATE_FORMAT"  # each language its way (hearings/formats/)
DATETIME_FORMAT = "DATETIME_FORMAT"


@dataclass(frozen=True)
class Change:
    """One changed field: its label and its values as text (None: no value). For a
    many-to-many field, `operation` is "add", "remove" or "set" (a plain list of ids) and
    the objects are in `after` (added, set) or `before` (removed)."""

    label: str
    before: str | None
    after: str | None
    operation: str = "change"


@dataclass(frozen=True)
class EntryView:
    entry: object  # auditlog's LogEntry
    who: str
    action: str
    kind: str
    changes: list[Change]


def who(entry) -> str:
    """The user who made the change, or what made it where there is no user."""
    user = entry.actor
    if user is not None:
        full_name = user.get_full_name()
        return f"{full_name} ({user.get_username()})" if full_name else user.get_username()
    if is_lockout(entry):
        return _("failed logins")
    command = _additional(entry).get(COMMAND_KEY)
    if isinstance(command, str) and command:
        return _("the command line (manage.py %(command)s)") % {"command": command}
    return _("the catalogue loader or command line")


def _additional(entry) -> dict:
    data = entry.additional_data
    return data if isinstance(data, dict) else {}


def is_lockout(entry) -> bool:
    return _additional(entry).get("event") == LOCKOUT_EVENT


def kind(entry) -> str:
    model = entry.content_type.model_class()
    if model is None:
        return entry.content_type.model
    return str(capfirst(model._meta.verbose_name))


def describe(entries, tz=None) -> list[EntryView]:
    """The entries as they read, in order; `tz` for dates and times (default: the active
    time zone). One query per related model whose names the entries need; labels and
    values that repeat are worked out once."""
    tz = tz or timezone.get_current_timezone()
    parsed = [(entry, list(_fields(entry))) for entry in entries]
    names = _names_needed(parsed)
    once = _Once()
    return [
        EntryView(
            entry=entry,
            who=once(("who", entry.actor_id, is_lockout(entry), _command(entry)), who, entry),
            action=once(("action", entry.content_type_id, entry.action), _action, entry),
            kind=once(("kind", entry.content_type_id), kind, entry),
            changes=_changes(entry, fields, names, tz, once),
        )
        for entry, fields in parsed
    ]


def _changes(entry, fields, names, tz, once) -> list[Change]:
    """The entry's changes as they read; on an update or a deletion, a field that was empty
    and stays so changed nothing (a deleted row's empty fields: a withholding's other
    target) and is left out."""
    changes = [_change(name, field, value, names, tz, once) for name, field, value in fields]
    if entry.action == LogEntry.Action.CREATE:
        return changes
    return [c for c in changes if not (c.operation == "change" and c.before is c.after is None)]


class _Once(dict):
    """A memo for one call of `describe`: translating a label or formatting a date costs
    more than reading the entry, and the same ones come back on every row."""

    def __call__(self, key, make, *args):
        if key not in self:
            self[key] = make(*args)
        return self[key]


def _command(entry):
    command = _additional(entry).get(COMMAND_KEY)
    return command if isinstance(command, str) else None


def _action(entry) -> str:
    content_type = entry.content_type
    words = ACTION_WORDS.get((f"{content_type.app_label}.{content_type.model}", entry.action))
    words = words or GENERIC_ACTION_WORDS.get(entry.action)
    return str(words) if words else str(capfirst(entry.get_action_display()))


# ---------------------------------------------------------------- reading what is stored


def _fields(entry):
    """(name, model field or None, stored value) for each change of the entry, in the
    model's order of fields (PostgreSQL's jsonb keeps keys in an order of its own), other
    keys after them as stored."""
    changes = entry.changes
    if not isinstance(changes, dict):
        return []
    model = entry.content_type.model_class()
    found = []
    for stored, (name, value) in enumerate(changes.items()):
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        found.append((_field_position(model, field, stored), name, field, value))
    return [(name, field, value) for _position, name, field, value in sorted(found)]


def _field_position(model, field, stored: int) -> tuple[int, int]:
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many] if model else []
    if field in fields:
        return (0, fields.index(field))
    return (1, stored)


def _is_m2m(value) -> bool:
    return isinstance(value, dict) and value.get("type") == "m2m"


def _related_ids(field, value):
    """The related rows' ids a stored value names, for the bulk look-up."""
    if field is None or not field.is_relation or field.related_model is None:
        return []
    if field.many_to_many:
        objects = value.get("objects", []) if _is_m2m(value) else value
        if not isinstance(objects, list):
            return []
        return [item for item in objects if _is_id(item)]
    if isinstance(value, list):
        return [item for item in value if item is not None and item != "None"]
    return []


def _is_id(item) -> bool:
    return isinstance(item, int) and not isinstance(item, bool)


def _pk(model, raw):
    try:
        return model._meta.pk.to_python(raw)
    except (ValidationError, TypeError, ValueError):
        return None


def _names_needed(parsed) -> dict:
    """{related model: {pk: name}} for every id the entries store, one query per model."""
    wanted = defaultdict(set)
    for _entry, fields in parsed:
        for _name, field, value in fields:
            for raw in _related_ids(field, value):
                pk = _pk(field.related_model, raw)
                if pk is not None:
                    wanted[field.related_model].add(pk)
    names = {}
    for model, pks in wanted.items():
        rows = model._base_manager.filter(pk__in=pks)
        related = NAME_RELATIONS.get(model._meta.label_lower)
        if related:
            rows = rows.select_related(*related)
        names[model] = {row.pk: str(row) for row in rows}
    return names


# ---------------------------------------------------------------- display values


def _change(name, field, value, names, tz, once) -> Change:
    label = once(("label", field, name), _label, field, name)
    if _is_m2m(value) or (field is not None and field.many_to_many):
        return _m2m_change(label, field, value, names)
    if isinstance(value, list) and len(value) == 2:
        before, after = (
            once(("value", field, v), _display, field, v, names, tz)
            if isinstance(v, str | int | float | None)
            else _display(field, v, names, tz)
            for v in value
        )
        return Change(label, before, after)
    return Change(label, None, _text(value))


def _label(field, name) -> str:
    return str(capfirst(field.verbose_name if field is not None else name))


def _m2m_change(label, field, value, names) -> Change:
    if _is_m2m(value):
        objects, operation = value.get("objects", []), value.get("operation")
    else:
        objects, operation = value, "set"
    if not isinstance(objects, list):
        objects = [objects]
    known = names.get(field.related_model, {}) if field is not None else {}
    shown = ", ".join(_object_name(field, item, known) for item in objects)
    if operation == "delete":
        return Change(label, shown, None, "remove")
    return Change(label, None, shown, "set" if operation == "set" else "add")


def _object_name(field, item, known) -> str:
    if _is_id(item) and field is not None:
        pk = _pk(field.related_model, item)
        return known.get(pk) or _deleted(item)
    return str(item)


def _deleted(raw) -> str:
    return _("deleted (id %(id)s)") % {"id": raw}


def _display(field, raw, names, tz) -> str | None:
    """One stored value as a person reads it."""
    if raw is None or raw == "None":
        return None
    if field is None:
        return _text(raw)
    if field.is_relation and field.related_model is not None:
        pk = _pk(field.related_model, raw)
        return names.get(field.related_model, {}).get(pk) or _deleted(raw)
    if field.flatchoices:
        value = _python(field, raw)
        labels = dict(field.flatchoices)
        return str(labels[value]) if value in labels else _text(raw)
    if isinstance(field, models.BooleanField):
        value = _python(field, raw)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
    elif isinstance(field, models.DateTimeField):
        moment = _python(field, raw)
        if isinstance(moment, datetime.datetime):
            if timezone.is_naive(moment):  # stored in UTC without its zone
                moment = moment.replace(tzinfo=datetime.UTC)
            return formats.date_format(moment.astimezone(tz), DATETIME_FORMAT)
    elif isinstance(field, models.DateField):
        day = _python(field, raw)
        if isinstance(day, datetime.date):
            return formats.date_format(day, DATE_FORMAT)
    return _text(raw)


def _python(field, raw):
    try:
        return field.to_python(raw)
    except (ValidationError, TypeError, ValueError):
        return None


def _text(value) -> str:
    return "" if value is None else str(value)
