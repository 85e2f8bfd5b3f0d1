"""Bulk import of status updates from the follow-up spreadsheet (CSV or XLSX).

Three steps, each usable on its own:

- `table_read` turns an uploaded file into rows of text cells (pure: no database). It
  refuses, with one clear message, what is not a follow-up sheet: too big, too many rows,
  not CSV/XLSX by name and content, a broken or hostile file, missing header columns.
- `status_updates_check` validates those rows against the lines (the dry run): each row
  becomes a change, an error (row and column), or nothing (unchanged). It writes nothing.
- `status_updates_import` re-validates and applies every change in one transaction, each
  through `services.status_update_record`, or applies none.

The columns, their header cells and the formula escaping come from tracker.spreadsheet.
"""

import csv
import datetime
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from . import services
from .forms import HEARINGS_DATE, EvidenceLinksField, latest_today
from .models import FollowUpLine, Status, StatusUpdate
from .permissions import can_record_on
from .spreadsheet import COLUMN_KEYS, FOLLOW_UP_COLUMNS, IMPORT_KEYS, header, header_key, restore

NEW_KEYS = ["new_status", "new_note", "new_effective_date", "new_evidence_links"]
LABELS = dict(FOLLOW_UP_COLUMNS)
MAX_NOTE_LENGTH = 10_000  # as the update form (tracker.forms.StatusUpdateForm.note)
# Header cells we look at: the export has 20 columns; a sheet claiming 16,384 is not ours.
MAX_HEADER_COLUMNS = 200
# Lines are fetched in chunks of this many ids (SQLite's historical limit of parameters).
LINE_CHUNK = 900


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 5_000)


def max_unpacked_bytes() -> int:
    """An XLSX's members, uncompressed, together: a zip bomb is refused before it is read."""
    return getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""


@dataclass
class ImportRow:
    """One data row: its number in the sheet (the header is row 1) and its import cells."""

    number: int
    cells: dict[str, str]

    def is_blank(self) -> bool:
        return not any(self.cells.get(key) for key in NEW_KEYS)

    def to_json(self):
        return [self.number, self.cells]

    @classmethod
    def from_json(cls, data) -> "ImportRow":
        number, cells = data
        return cls(int(number), {key: str(cells.get(key, "")) for key in IMPORT_KEYS})


@dataclass
class ImportTable:
    kind: str  # "csv" or "xlsx"
    columns: dict[str, int]  # key -> 0-based position in the file
    rows: list[ImportRow]  # rows with something in a new_* column
    blank: int  # rows with every new_* column empty: no change


# ---------------------------------------------------------------- reading the file


def table_read(name: str, data: bytes) -> ImportTable:
    """Read an uploaded CSV or XLSX in the follow-up sheet's format; ImportFileError if not."""
    if len(data) > max_bytes():
        raise ImportFileError(
            _("The file is larger than %(mb)s MB. Split it, or import fewer lines at a time.")
            % {"mb": megabytes(max_bytes())}
        )
    if not data:
        raise ImportFileError(_("The file is empty."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx":
        kind, records = "xlsx", _xlsx_records(data)
    elif extension == "csv":
        kind, records = "csv", _csv_records(data)
    else:
        raise ImportFileError(
            _("Upload a .csv or .xlsx file exported from this tracker (not .%(ext)s).")
            % {"ext": extension or "?"}
        )
    return _table_from_records(kind, records)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def _csv_records(data: bytes):
    if b"\x00" in data:
        raise ImportFileError(
            _("This is not a text CSV file (it contains NUL bytes). Upload the CSV as exported.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from exc
    first_line = text.split("\n", 1)[0]

    def keys_found(delimiter):
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(1 for cell in cells if header_key(cell) in COLUMN_KEYS)

    # Spreadsheet programs in some languages save CSV with ";" or tabs.
    delimiter = max([",", ";", "\t"], key=keys_found)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def records():
        try:
            for record in reader:
                yield [restore(cell) for cell in record]
        except csv.Error as exc:
            # Fields beyond csv.field_size_limit() (128 KiB by default) end up here too.
            raise ImportFileError(
                _(
                    "The CSV file cannot be read near line %(line)s (a cell over %(n)s "
                    "characters, or broken quoting)."
                )
                % {"line": reader.line_num, "n": f"{csv.field_size_limit():,}"}
            ) from exc

    return records()


def _xlsx_records(data: bytes):
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(
            _("This is not an XLSX workbook, or it is damaged: it is not a zip archive.")
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        # zipfile never inflates a member past its declared size (it checks it, and the
        # CRC), so the declared sizes bound what reading can cost.
        if len(members) > 1_000 or sum(m.file_size for m in members) > max_unpacked_bytes():
            raise ImportFileError(
                _("This workbook unpacks to more than %(mb)s MB; it is refused.")
                % {"mb": megabytes(max_unpacked_bytes())}
            )
        for member in members:
            if member.filename.endswith((".xml", ".rels")) and _declares_dtd(archive, member):
                raise ImportFileError(
                    _("This workbook declares XML entities, which spreadsheets never do.")
                )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportFileError(_("The XLSX file is damaged and cannot be read.")) from exc

    from openpyxl import load_workbook

    try:
        # read_only streams the sheets; data_only=False: a formula is read as its text and
        # never evaluated (openpyxl evaluates nothing anyway); links are not followed.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise ImportFileError(_("The XLSX file is damaged and cannot be read.")) from exc

    def records():
        try:
            sheet, width = _follow_up_sheet(book)
            # max_col bounds every row to the header's width whatever the sheet declares.
            for values in sheet.iter_rows(max_col=width, values_only=True):
                yield [_cell_text(v) for v in values]
        except ImportFileError:
            raise
        except Exception as exc:
            raise ImportFileError(_("The XLSX file is damaged and cannot be read.")) from exc
        finally:
            book.close()

    return records()


def _declares_dtd(archive, member) -> bool:
    """Whether an XML member has a DOCTYPE (entity expansion, external entities)."""
    needles = (b"<!doctype", "<!doctype".encode("utf-16-le"))
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(64 * 1024):
            window = (tail + chunk).lower()
            if any(needle in window for needle in needles):
                return True
            tail = window[-32:]
    return False


def _follow_up_sheet(book):
    """The sheet whose first row has the follow-up columns, and its width."""
    for sheet in book.worksheets:
        first = next(
            sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_HEADER_COLUMNS, values_only=True),
            (),
        )
        keys = [header_key(_cell_text(v)) for v in first]
        if "line_id" in keys:
            width = max(i for i, key in enumerate(keys, 1) if key)
            return sheet, width
    raise ImportFileError(
        _("No sheet of this workbook has the follow-up columns (a header cell “%(cell)s”).")
        % {"cell": header("line_id", LABELS["line_id"])}
    )


def _cell_text(value) -> str:
    """A cell as the text the import reads: formula escaping undone, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(restore(value) if isinstance(value, str) else value)


def _table_from_records(kind: str, records) -> ImportTable:
    first = next(iter(records), None)
    if first is None:
        raise ImportFileError(_("The file has no header row."))
    columns: dict[str, int] = {}
    for position, cell in enumerate(first[:MAX_HEADER_COLUMNS]):
        key = header_key(cell)
        if key in COLUMN_KEYS:
            if key in columns:
                raise ImportFileError(
                    _("The column “%(cell)s” appears twice in the header row.")
                    % {"cell": header(key, LABELS[key])}
                )
            columns[key] = position
    missing = [key for key in IMPORT_KEYS if key not in columns]
    if missing:
        raise ImportFileError(
            _("The header row lacks these columns: %(columns)s. Start from an export.")
            % {"columns": "; ".join(header(key, LABELS[key]) for key in missing)}
        )
    rows, blank, limit = [], 0, max_rows()
    for count, record in enumerate(records, 1):
        if count > limit:
            raise ImportFileError(
                _("The file has more than %(n)s rows. Split it into smaller files.")
                % {"n": f"{limit:,}"}
            )
        cells = {
            key: (record[position] if position < len(record) else "")
            for key, position in columns.items()
            if key in IMPORT_KEYS
        }
        row = ImportRow(number=count + 1, cells=cells)
        if row.is_blank():
            blank += 1
        else:
            rows.append(row)
    return ImportTable(kind=kind, columns=columns, rows=rows, blank=blank)


# ---------------------------------------------------------------- validating rows


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


def _status_lookup() -> dict[str, str]:
    """Status key or label (English or the current language), case-insensitive -> key."""
    lookup = {}
    for status in Status:
        lookup[status.value] = status.value
        lookup[str(status.label).casefold()] = status.value
        with translation.override("en"):
            lookup[str(status.label).casefold()] = status.value
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
    statuses = _status_lookup()
    labels = {status.value: str(status.label) for status in Status}
    links_field = EvidenceLinksField(required=False)
    earliest, latest = HEARINGS_DATE, latest_today()
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
        note = cells.get("new_note", "").strip()
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

        date_text = cells.get("new_effective_date", "").strip()
        effective_date = _parse_date(date_text) if date_text else None
        if not date_text:
            error("new_effective_date", _("Give the date the status took effect (YYYY-MM-DD)."))
        elif effective_date is None:
            error(
                "new_effective_date",
                _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": date_text[:40]},
            )
        elif effective_date < earliest:
            error("new_effective_date", _("The date cannot be before the hearings (15 July 2013)."))
        elif effective_date > latest:
            error("new_effective_date", _("The date cannot be in the future."))

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


# ---------------------------------------------------------------- applying


@transaction.atomic
def status_updates_import(*, user, rows: list[ImportRow], columns=None) -> ImportCheck:
    """Apply every row's change as a status update by `user`, all in one transaction or none.

    The lines are locked and every row validated again first; any error (a line that moved
    on since the preview, a permission lost) raises ImportRejected and writes nothing.
    """
    check = status_updates_check(user=user, rows=rows, columns=columns, lock=True)
    if check.errors:
        raise ImportRejected(check)
    for change in check.changes:
        try:
            services.status_update_record(
                line_id=change.line.pk,
                user=user,
                status=change.status,
                note=change.note,
                effective_date=change.effective_date,
                evidence_links=change.evidence_links,
                # Read under the lock, after last_update_id was checked against the line.
                seen_version=change.line.update_count,
                refresh_progress=False,
            )
        except (services.StaleLine, PermissionDenied) as exc:
            # Cannot happen under the lock; if it does, raising undoes every row.
            check.errors.append(
                RowError(change.row, "line_id", _("This line changed while importing."))
            )
            raise ImportRejected(check) from exc
    # One roll-up for every recommendation touched, in the same transaction.
    services.progress_refresh({change.line.recommendation_id for change in check.changes})
    return check
