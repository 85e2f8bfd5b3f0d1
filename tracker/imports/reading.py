"""Reading an uploaded follow-up sheet (CSV or XLSX) into rows of text cells: pure, no
database. It refuses, with one clear message, what is not a follow-up sheet: too big, too
many rows, not CSV/XLSX by name and content, a broken or hostile file (zip bombs, DTDs),
missing header columns. The columns and their header cells come from
tracker.reports.columns, the sheet the exports write.
"""

import csv
import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from tracker.reports.columns import (
    COLUMN_KEYS,
    FOLLOW_UP_COLUMNS,
    IMPORT_KEYS,
    header,
    header_key,
    restore,
)

NEW_KEYS = ["new_status", "new_note", "new_effective_date", "new_evidence_links"]
LABELS = dict(FOLLOW_UP_COLUMNS)
# Header cells we look at: the export has 20 columns; a sheet claiming 16,384 is not ours.
MAX_HEADER_COLUMNS = 200


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
            if _declares_dtd(archive, member):
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
    """Whether a member declares a DOCTYPE or an entity (entity expansion, external
    entities), in UTF-8 or UTF-16, whatever its name says it is."""
    needles = tuple(
        word.encode(encoding)
        for word in ("<!doctype", "<!entity")
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
    )
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
