"""The Excel workbook: Summary, Follow-up (one row per line) and, if asked, History, written
by XlsxWriter in its constant-memory mode (each row goes to disk once the next one starts),
from rows read in chunks from a server-side cursor: memory does not grow with the size.

Every cell goes through columns.cell_value, so no value runs as a formula and no stored
character breaks the file; strings are written as strings (XlsxWriter's own guessing of
formulas, numbers and links is off).

Every sheet prints landscape on A4, fitted to the page's width, its header row repeated
on each page. Column widths are set before the first row, in Excel's units (about one
character of the default font); long texts wrap. Each row is given the height its wrapped
texts need: LibreOffice does not fit rows to their text when it opens a workbook, and no
program fits merged cells.

Sheet names and labels are in the export's language, every sheet right to left in Arabic;
the Follow-up sheet's headers stay in English (columns.stable_headers), as the CSV's.
"""

import datetime
import re
import textwrap
from functools import lru_cache
from math import ceil

from django.utils.translation import gettext as _

from tracker.models import Status

from . import columns
from .asof import AS_OF_RULE
from .groups import KINDS
from .languages import is_rtl
from .options import ExportOptions, filters_text
from .rows import (
    ALL_RECOMMENDATIONS,
    EACH_ONCE,
    SummaryCounts,
    column_totals,
    follow_up_rows,
    history_rows,
)

COLUMN_WIDTHS = {
    "line_id": 9, "recommendation": 10, "title": 40, "paragraph": 9, "theme": 24,
    "agenda_points": 22, "gcm_objectives": 24, "sdg_targets": 20, "actor": 18,
    "actor_name": 28, "overall_status": 20, "status": 20,
    "status_since": 12, "note": 50, "evidence_links": 35, "target_date": 12, "overdue": 9,
    "last_update_id": 10, "new_status": 18, "new_note": 40, "new_effective_date": 16,
    "new_evidence_links": 30, "evidence_files": 45,
}  # fmt: skip
HISTORY_WIDTHS = [9, 10, 18, 28, 9, 12, 20, 50, 35, 45, 18, 16, 10]
# Cells of these columns wrap (the others hold codes, dates and short words).
WRAPPED = {"title", "theme", "agenda_points", "gcm_objectives", "sdg_targets", "actor_name",
           "note", "evidence_links", "new_note", "new_evidence_links",
           "evidence_files"}  # fmt: skip
HISTORY_WRAPPED = {"actor_name", "note", "evidence_links", "evidence_files"}
# The Summary: labels, then one column per status, then the total; values beside a label
# span columns B to J.
SUMMARY_LABEL_WIDTH, SUMMARY_NUMBER_WIDTH = 50, 10
SUMMARY_VALUE_LAST_COLUMN = 9
# A column is at least as wide as the longest word of its header, so no header breaks
# inside a word; row heights count the lines a text wraps to. Both guess generously: a
# character of text takes up to 1 unit, in bold 1.2 (also in LibreOffice's wider stand-in
# for Calibri), and a cell has a unit of padding.
CHARACTER, BOLD_CHARACTER, PADDING = 1.0, 1.2, 1
LINE_HEIGHT = 15  # points, one line of the default font
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
PAPER_A4 = 9
# The cell styles: (bold, wrapped, alignment, size).
STYLES = {
    "header": {"bold": True, "text_wrap": True, "valign": "top"},
    "wrapped": {"text_wrap": True, "valign": "top"},
    "value": {"text_wrap": True, "valign": "top", "align": "left"},
    "top": {"valign": "top"},
    "title": {"bold": True, "font_size": 14},
    "label": {"bold": True, "text_wrap": True, "valign": "top"},
}
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
# What Excel refuses in a sheet's name, and its length.
SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


def sheet_name(text) -> str:
    """A translated label as a sheet name Excel accepts."""
    name = " ".join(SHEET_NAME_REFUSED.sub(" ", str(text)).split()).strip("'")
    name = name[:SHEET_NAME_MAX].strip()
    return name or "Sheet"


class _Formats:
    """The workbook's cell formats, each made once: a style, with a date format or not."""

    def __init__(self, book, rtl=False):
        self.book, self.made, self.rtl = book, {}, rtl

    def __call__(self, style, number_format=None):
        key = (style, number_format)
        if key not in self.made:
            properties = dict(STYLES[style]) if style else {}
            if self.rtl and properties.get("align") == "left":  # the start of the line
                properties["align"] = "right"
            if number_format:
                properties["num_format"] = number_format
            self.made[key] = self.book.add_format(properties)
        return self.made[key]


def fitted_width(width: float, header) -> float:
    """`width`, or more if the longest word of the header needs it."""
    longest = max((len(word) for word in str(header).split()), default=0)
    return max(width, ceil(longest * BOLD_CHARACTER + PADDING))


@lru_cache(maxsize=4096)  # titles, themes and actors come again and again
def _lines(text, width: float, character: float) -> int:
    """The lines a text wraps to in a cell `width` units wide (a generous guess)."""
    per_line = max(1, int((width - PADDING) / character))
    return sum(
        1 if len(part) <= per_line else max(1, len(textwrap.wrap(part, per_line)))
        for part in str(text).split("\n")
    )


class _Sheet:
    """Rows written in order to a constant-memory worksheet, each as tall as its wrapped
    texts need (the row's height is set before its cells, and forgotten once the row is
    on disk, so memory stays flat)."""

    def __init__(self, sheet, formats, widths, *, table=True, styles=()):
        """`styles`: each column's style, which its empty cells show (none is written)."""
        self.sheet, self.formats, self.widths, self.row = sheet, formats, widths, -1
        styles = list(styles) or [None] * len(widths)
        for index, (width, style) in enumerate(zip(widths, styles, strict=True)):
            sheet.set_column(index, index, width, formats(style) if style else None)
        sheet.set_landscape()
        sheet.set_paper(PAPER_A4)
        sheet.fit_to_pages(1, 0)
        if table:
            sheet.repeat_rows(0)
            sheet.freeze_panes(1, 0)

    def cell(self, column, value, style=None):
        sheet, row = self.sheet, self.row
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
            sheet.write_datetime(row, column, value, self.formats(style, DATETIME_FORMAT))
        elif isinstance(value, datetime.date):
            sheet.write_datetime(row, column, value, self.formats(style, DATE_FORMAT))
        elif isinstance(value, int | float):
            sheet.write_number(row, column, value, self.formats(style))
        elif value is None or value == "":
            return  # the column's style shows
        else:
            sheet.write_string(row, column, columns.cell_value(str(value)), self.formats(style))

    def append(self, cells, wrapped=(), lines=1, bold=False):
        """A row of (value, style) cells; `wrapped`: the (text, width) of its wrapped cells."""
        self.begin_row(self.lines(wrapped, lines, bold))
        for column, (value, style) in enumerate(cells):
            self.cell(column, value, style)
        if cells:
            self.end_row()

    @staticmethod
    def lines(wrapped, lines=1, bold=False) -> int:
        character = BOLD_CHARACTER if bold else CHARACTER
        return max(
            (_lines(text, width, character) for text, width in wrapped if text), default=lines
        )

    def begin_row(self, lines: int) -> None:
        self.row += 1
        if lines > 1:
            self.sheet.set_row(self.row, lines * LINE_HEIGHT)

    def end_row(self) -> None:
        """The row before went to disk as this one began: forget its height."""
        self.sheet.row_info.pop(self.row - 1, None)
        self.sheet.row_sizes.pop(self.row - 1, None)


def _table_sheet(book, formats, title, sheet_columns, widths, wrapped, rows, *, stable=False):
    """A table sheet: the header row, then the rows, filters on; returns the row count.
    `stable`: the headers in English (the Follow-up sheet's, which the import reads).
    The rows are written by a loop of its own (what _Sheet.cell does, per column), the
    export's hot path: every cell of every line."""
    if stable:
        headers = columns.stable_headers(sheet_columns)
    else:
        headers = [columns.header(key, str(label)) for key, label in sheet_columns]
    widths = [fitted_width(w, h) for w, h in zip(widths, headers, strict=True)]
    styles = ["wrapped" if key in wrapped else "top" for key, _label in sheet_columns]
    out = _Sheet(book.add_worksheet(sheet_name(title)), formats, widths, styles=styles)
    out.append([(h, "header") for h in headers], zip(headers, widths, strict=True), bold=True)
    wrapping = [(i, widths[i]) for i, (key, _label) in enumerate(sheet_columns) if key in wrapped]
    plain = [formats(style) for style in styles]
    dates = [formats(style, DATE_FORMAT) for style in styles]
    times = [formats(style, DATETIME_FORMAT) for style in styles]
    sheet, cell_value = out.sheet, columns.cell_value
    count = 0
    for values in rows:
        out.begin_row(out.lines([(values[i], width) for i, width in wrapping]))
        row = out.row
        for column, value in enumerate(values):
            if value is None or value == "":
                continue  # the column's style shows
            if isinstance(value, str):
                sheet.write_string(row, column, cell_value(value), plain[column])
            elif isinstance(value, datetime.datetime):
                value = value.astimezone(datetime.UTC).replace(tzinfo=None)
                sheet.write_datetime(row, column, value, times[column])
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row, column, value, dates[column])
            else:
                sheet.write_number(row, column, value, plain[column])
        out.end_row()
        count += 1
    sheet.autofilter(0, 0, count, len(sheet_columns) - 1)
    return count


class _Summary(_Sheet):
    """The Summary sheet: facts about the export, then the status tables."""

    def __init__(self, sheet, formats):
        headings = [*(s.label for s in Status), _("Total")]
        widths = [SUMMARY_LABEL_WIDTH,
                  *(fitted_width(SUMMARY_NUMBER_WIDTH, h) for h in headings)]  # fmt: skip
        super().__init__(sheet, formats, widths, table=False)

    def fact(self, label, value):
        """A label and its value, the value wrapped across the status columns (merged)."""
        self.append([(label, "label")],
                     [(label, self.widths[0]), (value, sum(self.widths[1:]))])  # fmt: skip
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        number_format = None
        if isinstance(value, datetime.date):
            is_datetime = isinstance(value, datetime.datetime)
            number_format = DATETIME_FORMAT if is_datetime else DATE_FORMAT
        if isinstance(value, str):
            value = columns.cell_value(value)
        self.sheet.merge_range(self.row, 1, self.row, SUMMARY_VALUE_LAST_COLUMN, value,
                               self.formats("value", number_format))  # fmt: skip

    def status_table(self, title, label, rows, totals):
        """Groups x statuses, then the `totals` rows [(label, {status: n})], in bold."""
        statuses = list(Status)
        self.append([(title, "label")])
        headings = [label, *(str(s.label) for s in statuses), _("Total")]
        self.append([(h, "header") for h in headings], zip(headings, self.widths, strict=True),
                    bold=True)  # fmt: skip
        for index, (group, counts) in enumerate([*rows, *totals]):
            total = index >= len(rows)
            style = "label" if total else "wrapped"
            values = [counts.get(s, 0) for s in statuses]
            self.append([(str(group), style), *((n, style) for n in [*values, sum(values)])],
                        [(str(group), self.widths[0])], bold=total)  # fmt: skip
        self.append([])


def write_xlsx(options: ExportOptions, out) -> None:
    """The workbook: Summary, Follow-up (one row per line) and, if asked, History."""
    import xlsxwriter

    book = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    formats = _Formats(book, rtl=is_rtl(options.language))
    summary = _Summary(book.add_worksheet(sheet_name(_("Summary"))), formats)
    counts = SummaryCounts(options)
    count = _table_sheet(
        book, formats, _("Follow-up"), columns.FOLLOW_UP_COLUMNS,
        [COLUMN_WIDTHS[k] for k in columns.COLUMN_KEYS], WRAPPED, follow_up_rows(options, counts),
        stable=True,
    )  # fmt: skip
    by_theme, by_group = counts.tables()
    if options.demo:  # demo data: the first row says so (ExportOptions.demo)
        summary.fact(_("Demo data"), options.demo_notice)
    summary.append([(_("Progress report: recommendations"), "title")], lines=2)
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
    for key, kind in KINDS.items():
        rows = by_group[key]
        totals = [(kind.all_rows, column_totals(rows)), (EACH_ONCE, all_recs)]
        summary.status_table(str(kind.heading), str(kind.label), rows, totals)
    if options.history:
        _table_sheet(book, formats, _("History"), columns.HISTORY_COLUMNS, HISTORY_WIDTHS,
                     HISTORY_WRAPPED, history_rows(options))  # fmt: skip
    if formats.rtl:  # read when the sheets are assembled, at close
        for sheet in book.worksheets():
            sheet.right_to_left()
    book.close()
