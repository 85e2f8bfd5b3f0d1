"""The dry run: each row of a read sheet checked against its follow-up line, becoming a
change, an error (row and column) or nothing (unchanged). It writes nothing; the rules
are the update form's (tracker.inputs) and who may record on a line (tracker.permissions).
"""

import datetime
import functools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from hearings.text import normalise_line_breaks, validate_safe_text
from tracker.inputs import (
    MAX_NOTE_LENGTH,
    EvidenceLinksField,
    check_follow_up_date,
    latest_today,
)
from tracker.models import FollowUpLine, Status, StatusUpdate
from tracker.permissions import can_record_on
from tracker.reports.columns import header

from .reading import LABELS, ImportRow

# Lines are fetched in chunks of this many ids (SQLite's historical limit of parameters).
LINE_CHUNK = 900


@dataclass
class RowError:
    row: int
    column: str  # a column key, "" for the whole row
    message: str
    letter: str = ""  # the column's letter in the file, when known

    @property
    def column_label(self) -> str:
        return header(self.column, LABELS[self.column]) if self.column in LABELS else ""


@dataclass
class Change:
    row: int
    line: FollowUpLine
    status: str
    note: str
    effective_date: datetime.date
    evidence_links: list[str]
    last_update_id: int | None
    # Labels as text, worked out once per check: a preview may list thousands of rows.
    current_label: str = ""
    status_label: str = ""


@dataclass
class ImportCheck:
    """The dry run's verdict on every row."""

    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unchanged: int = 0

    @property
    def can_apply(self) -> bool:
        return bool(self.changes) and not self.errors

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


class ImportRejected(Exception):
    """Confirming found errors (e.g. a line moved on meanwhile): nothing was written."""

    def __init__(self, check: ImportCheck):
        self.check = check
        super().__init__("the import has errors")


@functools.cache
def status_lookup() -> dict[str, str]:
    """A status's key, or its label in any of settings.LANGUAGES (the six UN languages),
    casefolded -> its key. Made once per process: the catalogues do not change while it
    runs."""
    lookup = {status.value: status.value for status in Status}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for status in Status:
                lookup.setdefault(str(status.label).strip().casefold(), status.value)
    return lookup


INTEGER = re.compile(r"^\d{1,18}$")


def _parse_id(text: str) -> int | None:
    text = text.strip()
    return int(text) if INTEGER.match(text) else None


def _parse_date(text: str) -> datetime.date | None:
    text = text.strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.date() if moment.time() == datetime.time() else None


def lines_for_import(line_ids, *, lock=False) -> dict[int, FollowUpLine]:
    """The lines named in a file, with their latest recorded update id, in one query per chunk.

    `latest_update_id` is the id of the last update recorded on the line (not the current
    one in the effective-date ordering): what an export writes as `last_update_id`.
    """
    latest = StatusUpdate.objects.filter(line=OuterRef("pk")).order_by("-id").values("id")[:1]
    queryset = FollowUpLine.objects.select_related(
        "recommendation", "actor", "current_update"
    ).annotate(latest_update_id=Subquery(latest))
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    ids = sorted(set(line_ids))
    lines = {}
    for start in range(0, len(ids), LINE_CHUNK):
        lines.update(queryset.in_bulk(ids[start : start + LINE_CHUNK]))
    return lines


def status_updates_check(*, user, rows: list[ImportRow], columns=None, lock=False) -> ImportCheck:
    """The dry run: every non-blank row as a change, errors by row and column, or unchanged.

    Reads the lines named in the rows (one query per 900 lines) and the user's role;
    writes nothing. `columns` (key -> position) gives the errors their column letters.
    """
    line_ids = [i for i in (_parse_id(r.cells.get("line_id", "")) for r in rows) if i]
    lines = lines_for_import(line_ids, lock=lock)
    return validate_rows(rows, user=user, lines=lines, columns=columns or {})


def validate_rows(rows, *, user, lines: dict[int, FollowUpLine], columns) -> ImportCheck:
    """Validate rows against already fetched lines (no query beyond the user's role)."""
    check = ImportCheck()
    statuses = status_lookup()
    labels = {status.value: str(status.label) for status in Status}
    links_field = EvidenceLinksField(required=False)
    latest = latest_today()  # once for the whole file
    first_row_of_line: dict[int, int] = {}

    for row in rows:
        if row.is_blank():
            check.unchanged += 1
            continue
        errors: list[RowError] = []

        def error(key, message, row=row, errors=errors):
            letter = get_column_letter(columns[key] + 1) if key in columns else ""
            errors.append(RowError(row.number, key, str(message), letter))

        cells = row.cells
        line_id = _parse_id(cells.get("line_id", ""))
        line = lines.get(line_id) if line_id else None
        if line is None:
            text = cells.get("line_id", "").strip()
            if not text:
                error("line_id", _("The line id is missing."))
            else:
                error("line_id", _("No follow-up line has the id “%(id)s”.") % {"id": text[:40]})
            check.errors.extend(errors)
            continue
        if line_id in first_row_of_line:
            error(
                "line_id",
                _("This line is already updated in row %(row)s; one row per line.")
                % {"row": first_row_of_line[line_id]},
            )
            check.errors.extend(errors)
            continue
        first_row_of_line[line_id] = row.number

        status_text = cells.get("new_status", "").strip()
        status = statuses.get(status_text.casefold())
        note = normalise_line_breaks(cells.get("new_note", "")).strip()
        # Repeating the current status and note (none yet: "no information" and no note)
        # adds nothing; an untouched export's copy of those columns is such a row.
        current_note = line.current_update.note.strip() if line.current_update else ""
        if status and (status, note) == (line.status, current_note):
            check.unchanged += 1
            continue

        if not status_text:
            error("new_status", _("Give the new status."))
        elif status is None:
            error(
                "new_status",
                _("“%(value)s” is not a status. Use one of: %(choices)s.")
                % {"value": status_text[:60], "choices": ", ".join(str(s.label) for s in Status)},
            )
        if not note:
            error("new_note", _("Write a note: it is required with a new status."))
        elif len(note) > MAX_NOTE_LENGTH:
            error(
                "new_note",
                _("The note is longer than %(n)s characters.") % {"n": f"{MAX_NOTE_LENGTH:,}"},
            )
        else:
            try:
                validate_safe_text(note)
            except ValidationError as exc:
                error("new_note", " ".join(exc.messages))

        date_text = cells.get("new_effective_date", "").strip()
        effective_date = _parse_date(date_text) if date_text else None
        if not date_text:
            error("new_effective_date", _("Give the date the status took effect (YYYY-MM-DD)."))
        elif effective_date is None:
            error(
                "new_effective_date",
                _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": date_text[:40]},
            )
        else:
            try:
                check_follow_up_date(effective_date, latest)
            except ValidationError as exc:
                error("new_effective_date", " ".join(exc.messages))

        links = []
        if cells.get("new_evidence_links", "").strip():
            try:
                links = links_field.clean(cells["new_evidence_links"])
            except ValidationError as exc:
                error("new_evidence_links", " ".join(exc.messages))

        if not can_record_on(user, line):
            error(
                "line_id",
                _("No permission: you do not record follow-up for %(actor)s.")
                % {"actor": line.actor.name},
            )

        seen_text = cells.get("last_update_id", "").strip()
        seen = _parse_id(seen_text)
        if seen_text and seen is None:
            error(
                "last_update_id", _("“%(value)s” is not an update id.") % {"value": seen_text[:40]}
            )
        elif seen != line.latest_update_id:
            error(
                "last_update_id",
                _(
                    "Conflict: this line was updated after the file was exported (its last "
                    "update is now %(now)s, the file says %(seen)s). Export again and redo the row."
                )
                % {
                    "now": line.latest_update_id or _("none"),
                    "seen": seen or _("none"),
                },
            )

        if errors:
            check.errors.extend(errors)
        else:
            check.changes.append(
                Change(
                    row.number,
                    line,
                    status,
                    note,
                    effective_date,
                    links,
                    seen,
                    current_label=labels[line.status],
                    status_label=labels[status],
                )
            )
    return check
