"""The follow-up sheet as files: CSV (streamed in chunks, UTF-8 with a BOM) and the Excel
workbook (Summary, Follow-up and, if asked, History; openpyxl in write-only mode). Both
write every cell through columns.neutralise, so no value runs as a formula."""

import csv
import datetime
from collections.abc import Iterator

from django.utils.translation import gettext as _

from tracker.models import Status

from . import columns
from .options import ExportOptions, filters_text
from .rows import follow_up_rows, history_rows, summary_counts

CSV_ROWS_PER_CHUNK = 200


def _headers(sheet_columns) -> list[str]:
    return [columns.header(key, str(label)) for key, label in sheet_columns]


class _Echo:
    """A file-like object csv.writer writes to that hands the line back."""

    def write(self, value):
        return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return columns.neutralise(value)


def csv_chunks(options: ExportOptions) -> Iterator[str]:
    """The follow-up sheet as CSV text in chunks: a BOM, the header row, one row per line."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(_headers(columns.FOLLOW_UP_COLUMNS))
    buffer = []
    for row in follow_up_rows(options):
        buffer.append(writer.writerow([_csv_cell(v) for v in row]))
        if len(buffer) >= CSV_ROWS_PER_CHUNK:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


# ---------------------------------------------------------------- the workbook

COLUMN_WIDTHS = {
    "line_id": 9, "recommendation": 10, "title": 40, "paragraph": 9, "theme": 24,
    "agenda_points": 22, "actor": 18, "actor_name": 28, "overall_status": 20, "status": 20,
    "status_since": 12, "note": 50, "evidence_links": 35, "target_date": 12, "overdue": 9,
    "last_update_id": 10, "new_status": 18, "new_note": 40, "new_effective_date": 16,
    "new_evidence_links": 30,
}  # fmt: skip
HISTORY_WIDTHS = [9, 10, 18, 28, 9, 12, 20, 50, 35, 18, 16, 10]
DATE_FORMAT = "yyyy-mm-dd"


def _xlsx_cell(sheet, value, bold=False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=columns.neutralise(value))
    if isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _prepare_table_sheet(sheet, widths):
    from openpyxl.utils import get_column_letter

    # In a write-only sheet, widths and panes must be set before the first row.
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _finish_table_sheet(sheet, column_count: int, rows: int):
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(column_count)}{rows + 1}"


def _status_table(title, groups, counts_by_group, label):
    """Rows of a summary table: groups x statuses, with totals."""
    statuses = list(Status)
    yield [title]
    yield [label, *(str(s.label) for s in statuses), _("Total")]
    totals = dict.fromkeys(statuses, 0)
    for group_label, counts in zip(groups, counts_by_group, strict=True):
        row = [counts.get(s, 0) for s in statuses]
        for s in statuses:
            totals[s] += counts.get(s, 0)
        yield [group_label, *row, sum(row)]
    yield [_("All"), *(totals[s] for s in statuses), sum(totals.values())]
    yield []


def write_xlsx(options: ExportOptions, out) -> None:
    """The workbook: Summary, Follow-up (one row per line) and, if asked, History."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(_("Summary"))
    summary.column_dimensions["A"].width = 48
    follow_up = workbook.create_sheet(_("Follow-up"))
    _prepare_table_sheet(follow_up, [COLUMN_WIDTHS[k] for k in columns.COLUMN_KEYS])
    follow_up.append(
        [_xlsx_cell(follow_up, h, bold=True) for h in _headers(columns.FOLLOW_UP_COLUMNS)]
    )
    overall: dict[int, Status] = {}
    count = 0
    for row in follow_up_rows(options, overall):
        follow_up.append([_xlsx_cell(follow_up, value) for value in row])
        count += 1
    _finish_table_sheet(follow_up, len(columns.COLUMN_KEYS), count)

    by_theme, by_point = summary_counts(options, overall)
    summary.append([_xlsx_cell(summary, _("Progress report: recommendations"), bold=True)])
    summary.append([_("Progress as of"), _xlsx_cell(summary, options.as_of)])
    summary.append([_("Filters"), filters_text(options)])
    summary.append([_("Generated"), _xlsx_cell(summary, options.generated_at),
                    options.generated_by])  # fmt: skip
    summary.append([_("Follow-up lines"), count])
    summary.append([])
    for title, rows, label in (
        (_("Recommendations by theme and status"), by_theme, _("Theme")),
        (_("Recommendations by action agenda point and status"), by_point, _("Agenda point")),
    ):
        labels = [str(group) for group, _counts in rows]
        for row in _status_table(title, labels, [c for _g, c in rows], label):
            summary.append([_xlsx_cell(summary, v, bold=i == 0) for i, v in enumerate(row)])

    if options.history:
        history = workbook.create_sheet(_("History"))
        _prepare_table_sheet(history, HISTORY_WIDTHS)
        history.append(
            [_xlsx_cell(history, h, bold=True) for h in _headers(columns.HISTORY_COLUMNS)]
        )
        count = 0
        for row in history_rows(options):
            history.append([_xlsx_cell(history, value) for value in row])
            count += 1
        _finish_table_sheet(history, len(columns.HISTORY_COLUMNS), count)
    workbook.save(out)
