"""The follow-up sheet as files: CSV (streamed in chunks, UTF-8 with a BOM) and the Excel
workbook (Summary, Follow-up and, if asked, History; openpyxl in write-only mode). Both
write every cell through columns.cell_value, so no value runs as a formula and no
stored character breaks the file."""

import csv
import datetime
import textwrap
from collections.abc import Iterator
from math import ceil

from django.utils.translation import gettext as _

from tracker.models import Status

from . import columns
from .asof import AS_OF_RULE
from .options import DEMO_COLUMN, ExportOptions, filters_text
from .rows import (
    ALL_AGENDA_ROWS,
    ALL_RECOMMENDATIONS,
    EACH_ONCE,
    column_totals,
    follow_up_rows,
    history_rows,
    summary_counts,
)

CSV_ROWS_PER_CHUNK = 200


def _headers(sheet_columns) -> list[str]:
    return [columns.header(key, str(label)) for key, label in sheet_columns]


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


def csv_chunks(options: ExportOptions) -> Iterator[str]:
    """The follow-up sheet as CSV text in chunks: a BOM, the header row, one row per line."""
    writer = csv_line_writer()
    # Demo data: a first column says so, on every row (ExportOptions.demo).
    demo_header, demo_cell = ([str(text)] for text in DEMO_COLUMN) if options.demo else ([], [])
    yield "\ufeff" + writer.writerow([*demo_header, *_headers(columns.FOLLOW_UP_COLUMNS)])
    buffer = []
    for row in follow_up_rows(options):
        buffer.append(writer.writerow([*demo_cell, *(_csv_cell(v) for v in row)]))
        if len(buffer) >= CSV_ROWS_PER_CHUNK:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


# ---------------------------------------------------------------- the workbook
# Every sheet prints landscape on A4, fitted to the page's width, its header row repeated
# on each page. Column widths are set before the first row (the sheets are streamed, so
# they are fixed per column), in Excel's units (about one character of the default font);
# long texts wrap. Each row is given the height its wrapped texts need: LibreOffice does not
# fit rows to their text when it opens a workbook, and no program fits merged cells.

COLUMN_WIDTHS = {
    "line_id": 9, "recommendation": 10, "title": 40, "paragraph": 9, "theme": 24,
    "agenda_points": 22, "actor": 18, "actor_name": 28, "overall_status": 20, "status": 20,
    "status_since": 12, "note": 50, "evidence_links": 35, "evidence_files": 45,
    "target_date": 12, "overdue": 9,
    "last_update_id": 10, "new_status": 18, "new_note": 40, "new_effective_date": 16,
    "new_evidence_links": 30,
}  # fmt: skip
HISTORY_WIDTHS = [9, 10, 18, 28, 9, 12, 20, 50, 35, 45, 18, 16, 10]
# Cells of these columns wrap (the others hold codes, dates and short words).
WRAPPED = {"title", "theme", "agenda_points", "actor_name", "note", "evidence_links",
           "evidence_files", "new_note", "new_evidence_links"}  # fmt: skip
HISTORY_WRAPPED = {"actor_name", "note", "evidence_links", "evidence_files"}
# The Summary: labels, then one column per status, then the total; values beside a label
# span B:J.
SUMMARY_LABEL_WIDTH, SUMMARY_NUMBER_WIDTH = 50, 10
SUMMARY_VALUE_SPAN = "B{row}:J{row}"
# A column is at least as wide as the longest word of its header, so no header breaks
# inside a word; row heights count the lines a text wraps to. Both guess generously: a
# character of text takes up to 1 unit, in bold 1.2 (also in LibreOffice's wider stand-in
# for Calibri), and a cell has a unit of padding.
CHARACTER, BOLD_CHARACTER, PADDING = 1.0, 1.2, 1
LINE_HEIGHT = 15  # points, one line of the default font
DATE_FORMAT = "yyyy-mm-dd"
PAPER_A4 = 9


class _Styles:
    """The few cell styles of the workbook, made once (openpyxl is imported late)."""

    def __init__(self):
        from openpyxl.styles import Alignment, Font

        bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        self.header = (bold, wrap)
        self.wrapped = (None, wrap)
        self.value = (None, Alignment(wrap_text=True, vertical="top", horizontal="left"))
        self.top = (None, Alignment(vertical="top"))
        self.title = (Font(bold=True, size=14), None)
        self.label = (bold, wrap)


def _xlsx_cell(sheet, value, style=None):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=columns.cell_value(value))
    if isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    if style:
        font, alignment = style
        if font:
            cell.font = font
        if alignment:
            cell.alignment = alignment
    return cell


def _print_setup(sheet, title_rows: str | None = "1:1") -> None:
    """Landscape A4, as wide as the page and as many pages long as it takes."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows


def fitted_width(width: float, header) -> float:
    """`width`, or more if the longest word of the header needs it."""
    longest = max((len(word) for word in str(header).split()), default=0)
    return max(width, ceil(longest * BOLD_CHARACTER + PADDING))


def _prepare_sheet(sheet, widths, title_rows: str | None = "1:1"):
    from openpyxl.utils import get_column_letter

    # In a write-only sheet, widths and panes must be set before the first row.
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _print_setup(sheet, title_rows)
    if title_rows:
        sheet.freeze_panes = "A2"


def _finish_table_sheet(sheet, column_count: int, rows: int):
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(column_count)}{rows + 1}"


def _lines(text, width: float, character: float) -> int:
    """The lines a text wraps to in a cell `width` units wide (a generous guess)."""
    per_line = max(1, int((width - PADDING) / character))
    return sum(
        1 if len(part) <= per_line else max(1, len(textwrap.wrap(part, per_line)))
        for part in str(text).split("\n")
    )


class _Rows:
    """Rows appended to a write-only sheet, each as tall as its wrapped texts need. A row's
    height is set before the row is written and dropped after, so memory stays flat."""

    def __init__(self, sheet, widths):
        self.sheet, self.widths, self.row = sheet, widths, 0

    def append(self, cells, wrapped=(), lines=1, bold=False):
        """`wrapped`: the (text, width) pairs of the row's wrapped cells."""
        self.row += 1
        character = BOLD_CHARACTER if bold else CHARACTER
        lines = max(
            (_lines(text, width, character) for text, width in wrapped if text), default=lines
        )
        if lines > 1:
            self.sheet.row_dimensions[self.row].height = lines * LINE_HEIGHT
        self.sheet.append(cells)
        self.sheet.row_dimensions.pop(self.row, None)


def _table_sheet(sheet, sheet_columns, widths, wrapped, rows, styles) -> int:
    """Stream a table sheet: the header row, then the rows; returns the row count."""
    headers = _headers(sheet_columns)
    widths = [fitted_width(w, h) for w, h in zip(widths, headers, strict=True)]
    _prepare_sheet(sheet, widths)
    out = _Rows(sheet, widths)
    out.append(
        [_xlsx_cell(sheet, h, styles.header) for h in headers],
        zip(headers, widths, strict=True),
        bold=True,
    )
    cell_styles = [
        styles.wrapped if key in wrapped else styles.top for key, _label in sheet_columns
    ]
    wrapping = [i for i, (key, _label) in enumerate(sheet_columns) if key in wrapped]
    count = 0
    for row in rows:
        out.append(
            [_xlsx_cell(sheet, v, s) for v, s in zip(row, cell_styles, strict=True)],
            [(row[i], widths[i]) for i in wrapping],
        )
        count += 1
    _finish_table_sheet(sheet, len(sheet_columns), count)
    return count


class _Summary(_Rows):
    """The Summary sheet: facts about the export, then the status tables."""

    def __init__(self, sheet, styles):
        headings = [*(s.label for s in Status), _("Total")]
        widths = [SUMMARY_LABEL_WIDTH,
                  *(fitted_width(SUMMARY_NUMBER_WIDTH, h) for h in headings)]  # fmt: skip
        super().__init__(sheet, widths)
        self.styles = styles
        _prepare_sheet(sheet, widths, title_rows=None)

    def fact(self, label, value):
        """A label and its value, the value wrapped across the status columns (merged)."""
        sheet, styles = self.sheet, self.styles
        self.append(
            [_xlsx_cell(sheet, label, styles.label), _xlsx_cell(sheet, value, styles.value)],
            [(label, self.widths[0]), (value, sum(self.widths[1:]))],
        )
        sheet.merged_cells.add(SUMMARY_VALUE_SPAN.format(row=self.row))

    def status_table(self, title, label, rows, totals):
        """Groups x statuses, then the `totals` rows [(label, {status: n})], in bold."""
        sheet, styles = self.sheet, self.styles
        statuses = list(Status)
        self.append([_xlsx_cell(sheet, title, styles.label)])
        headings = [label, *(str(s.label) for s in statuses), _("Total")]
        self.append(
            [_xlsx_cell(sheet, h, styles.header) for h in headings],
            zip(headings, self.widths, strict=True),
            bold=True,
        )
        for index, (group, counts) in enumerate([*rows, *totals]):
            total = index >= len(rows)
            style = styles.label if total else styles.wrapped
            values = [counts.get(s, 0) for s in statuses]
            self.append(
                [_xlsx_cell(sheet, str(group), style),
                 *(_xlsx_cell(sheet, n, style) for n in [*values, sum(values)])],
                [(str(group), self.widths[0])],
                bold=total,
            )  # fmt: skip
        self.append([])


def write_xlsx(options: ExportOptions, out) -> None:
    """The workbook: Summary, Follow-up (one row per line) and, if asked, History."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    styles = _Styles()
    summary = _Summary(workbook.create_sheet(_("Summary")), styles)
    overall: dict[int, Status] = {}
    count = _table_sheet(
        workbook.create_sheet(_("Follow-up")),
        columns.FOLLOW_UP_COLUMNS,
        [COLUMN_WIDTHS[k] for k in columns.COLUMN_KEYS],
        WRAPPED,
        follow_up_rows(options, overall),
        styles,
    )

    by_theme, by_point = summary_counts(options, overall)
    if options.demo:  # demo data: the first row says so (ExportOptions.demo)
        summary.fact(_("Demo data"), options.demo_notice)
    title = _("Progress report: recommendations")
    summary.append([_xlsx_cell(summary.sheet, title, styles.title)], lines=2)
    summary.fact(_("Progress as of"), options.as_of)
    summary.fact(_("Filters"), filters_text(options))
    summary.fact(_("Generated"), options.generated_at)
    if options.generated_by:
        summary.fact(_("Generated by"), options.generated_by)
    summary.fact(_("Follow-up lines"), count)
    summary.fact(_("Method"), str(AS_OF_RULE))
    summary.append([])
    all_recs = column_totals(by_theme)
    summary.status_table(_("Recommendations by theme and status"), _("Theme"), by_theme,
                         [(ALL_RECOMMENDATIONS, all_recs)])  # fmt: skip
    summary.status_table(
        _("Recommendations by action agenda point and status"),
        _("Agenda point"),
        by_point,
        [(ALL_AGENDA_ROWS, column_totals(by_point)), (EACH_ONCE, all_recs)],
    )

    if options.history:
        _table_sheet(
            workbook.create_sheet(_("History")),
            columns.HISTORY_COLUMNS,
            HISTORY_WIDTHS,
            HISTORY_WRAPPED,
            history_rows(options),
            styles,
        )
    workbook.save(out)
