"""The follow-up sheet as CSV: UTF-8 with a BOM, the header row, one row per line, in
constant memory. On PostgreSQL the rows are PostgreSQL's own `COPY` of
sheet_query.cells_query (the cell rule in SQL), streamed as it is read
(tracker.reports.copying); elsewhere they come from a server-side cursor through Python's
csv writer and columns.cell_value. Both write the same bytes (tests/reports/test_sheet_paths.py).
The Excel workbook is tracker.reports.workbook."""

import csv
import datetime
from collections.abc import Iterator

from django.utils import translation
from django.utils.translation import gettext as _

from . import columns, copying, sheet_query
from .options import DEMO_COLUMN, ExportOptions
from .rows import follow_up_rows

CSV_ROWS_PER_CHUNK = 200


class _Echo:
    """A file-like object csv.writer writes to that hands the line back."""

    def write(self, value):
        return value


def csv_line_writer():
    """A csv.writer whose writerow returns the line as text, for streamed CSV (this sheet
    and the audit log's)."""
    return csv.writer(_Echo())


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return columns.cell_value(value)


def _demo_cells(options: ExportOptions) -> tuple[list[str], list[str]]:
    """The demo column's header and cell (ExportOptions.demo), or nothing."""
    if not options.demo:
        return [], []
    header, cell = DEMO_COLUMN
    with translation.override(columns.HEADER_LANGUAGE):  # a header: the same in every language
        header = str(header)
    return [header], [str(cell)]


def _head(options: ExportOptions) -> bytes:
    """The BOM and the header row: "label [key]" per column, after the demo column, in
    English whatever the export's language (columns.stable_headers)."""
    demo_header, _demo_cell = _demo_cells(options)
    headers = columns.stable_headers(columns.FOLLOW_UP_COLUMNS)
    return ("\ufeff" + csv_line_writer().writerow([*demo_header, *headers])).encode("utf-8")


def _copied(options: ExportOptions) -> tuple[str, list]:
    """sheet_query.cells_query for this export, the demo column and the overdue words."""
    _demo_header, demo_cell = _demo_cells(options)
    return sheet_query.cells_query(
        options,
        yes=columns.cell_value(_("yes")),
        no=columns.cell_value(_("no")),
        demo=demo_cell[0] if demo_cell else None,
    )


def python_rows(options: ExportOptions) -> Iterator[bytes]:
    """The rows through Python's csv writer, CSV_ROWS_PER_CHUNK lines a chunk."""
    writer = csv_line_writer()
    _demo_header, demo_cell = _demo_cells(options)
    buffer = []
    for row in follow_up_rows(options):
        buffer.append(writer.writerow([*demo_cell, *(_csv_cell(v) for v in row)]))
        if len(buffer) >= CSV_ROWS_PER_CHUNK:
            yield "".join(buffer).encode("utf-8")
            buffer = []
    if buffer:
        yield "".join(buffer).encode("utf-8")


def csv_chunks(options: ExportOptions) -> Iterator[bytes]:
    """The follow-up sheet as CSV, in chunks of bytes, as it is read (the page streams it)."""
    yield _head(options)
    if copying.available():
        yield from copying.copy_chunks(*_copied(options))
    else:
        yield from python_rows(options)


def write_csv(options: ExportOptions, out) -> None:
    """The follow-up sheet as CSV into a binary file (the command)."""
    out.write(_head(options))
    if copying.available():
        copying.copy_to(*_copied(options), out)
    else:
        for chunk in python_rows(options):
            out.write(chunk)
