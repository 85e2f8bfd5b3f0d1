"""Progress exports: the follow-up sheet as CSV and XLSX, the progress report as DOCX and PDF.

Every format is built from the same selection (the recommendations list's filters, main
recommendations only) and the same as-of rebuild (tracker.asof). CSV and XLSX stream
from one query over the lines, so their memory and query count do not grow with the
number of lines; PDF and DOCX are capped on the page (see max_recommendations) and
uncapped from `manage.py export_progress`.
"""

import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Aggregate, CharField, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hearings.models import AgendaPoint, Recommendation, Theme

from . import spreadsheet
from .asof import active_lines_as_of, history_as_of
from .filters import RecommendationFilter
from .models import FINAL_STATUSES, FollowUpLine, Status
from .rollup import roll_up

FORMATS = {
    "pdf": gettext_lazy("PDF progress report"),
    "docx": gettext_lazy("Word progress report (DOCX)"),
    "xlsx": gettext_lazy("Excel workbook (XLSX)"),
    "csv": gettext_lazy("CSV follow-up sheet"),
}
GROUPINGS = {
    "theme": gettext_lazy("Theme"),
    "agenda": gettext_lazy("Action agenda point"),
    "actor": gettext_lazy("Actor (each actor its own section)"),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# The list's filters an export takes over; `kind` is always "main" and `sort` is ignored
# (exports follow report order).
EXPORT_FILTERS = ["q", "theme", "agenda", "actor", "status", "chapter", "paragraph", "overdue",
                  "mine"]  # fmt: skip
# PDF and DOCX reports requested from the page cover at most this many recommendations
# (settings.PROGRESS_REPORT_MAX_RECOMMENDATIONS); the command has no limit.
DEFAULT_MAX_RECOMMENDATIONS = 2000
# A worksheet holds 1,048,576 rows, one of them the header.
EXCEL_MAX_ROWS = 1_048_576
HISTORY_COLUMNS = [
    ("line_id", gettext_lazy("Line id")),
    ("recommendation", gettext_lazy("Recommendation code")),
    ("actor", gettext_lazy("Actor key")),
    ("actor_name", gettext_lazy("Actor")),
    ("update_id", gettext_lazy("Update id")),
    ("effective_date", gettext_lazy("Effective date")),
    ("status", gettext_lazy("Status")),
    ("note", gettext_lazy("Note")),
    ("evidence_links", gettext_lazy("Evidence links")),
    ("recorded_at", gettext_lazy("Recorded at (UTC)")),
    ("recorded_by", gettext_lazy("Recorded by")),
    ("corrects", gettext_lazy("Corrects update id")),
]
CSV_ROWS_PER_CHUNK = 200
ITERATOR_CHUNK_SIZE = 2000


class ExportRefused(Exception):
    """The export is too large for this route; the message says what to do instead."""


def max_recommendations() -> int:
    return getattr(settings, "PROGRESS_REPORT_MAX_RECOMMENDATIONS", DEFAULT_MAX_RECOMMENDATIONS)


def recommendation_filter(data, request=None) -> RecommendationFilter:
    """The list's filter on these query parameters, restricted to main recommendations."""
    data = data.copy()
    data["kind"] = "main"
    data.pop("sort", None)
    return RecommendationFilter(data, queryset=Recommendation.objects.current(), request=request)


def _describe(name, value) -> tuple[str, str]:
    if name == "status":
        return str(Status(value).label), str(Status(value).label)
    if name == "q":
        return f"“{value}”", slugify(value)[:30]
    if name == "paragraph":
        return str(int(value)), f"p{int(value)}"
    if name == "chapter":
        return str(value), f"chapter-{value.numeral.lower()}"
    if isinstance(value, bool):
        return _("yes"), name
    if isinstance(value, AgendaPoint):
        return str(value), value.key
    return str(value), getattr(value, "key", slugify(str(value)))


def describe_filters(filterset: RecommendationFilter) -> tuple[list, list]:
    """A validated filter in words [(label, value)], and the parts of a file name."""
    filters, slug_parts = [], []
    for name in EXPORT_FILTERS:
        value = filterset.form.cleaned_data.get(name)
        if value in (None, "", False):
            continue
        text, slug = _describe(name, value)
        filters.append((str(filterset.form.fields[name].label), text))
        slug_parts.append(slug)
    return filters, slug_parts


@dataclass
class ExportOptions:
    """What to export and how: the selection, the date, the format and the layout."""

    recommendations: QuerySet
    as_of: datetime.date
    format: str = "csv"
    grouping: str = "theme"
    history: bool = False
    filters: list[tuple[str, str]] = field(default_factory=list)  # (label, value) in words
    slug_parts: list[str] = field(default_factory=list)
    generated_by: str = ""
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    @classmethod
    def from_filter(cls, filterset: RecommendationFilter, **kwargs) -> "ExportOptions":
        """Options for a validated filter: its selection, and its filters in words."""
        filters, slug_parts = describe_filters(filterset)
        return cls(recommendations=filterset.qs, filters=filters, slug_parts=slug_parts, **kwargs)

    def filename(self) -> str:
        """e.g. progress-2014-10-03-rights.pdf"""
        parts = ["progress", self.as_of.isoformat(), *self.slug_parts]
        if self.format in ("pdf", "docx") and self.grouping != "theme":
            parts.append(f"by-{self.grouping}")
        stem = slugify("-".join(parts))[:100].strip("-")
        return f"{stem}.{self.format}"

    def lines(self) -> QuerySet:
        """Follow-up lines of the selected recommendations (all of them; as-of filters later)."""
        return FollowUpLine.objects.filter(recommendation__in=self.recommendations.values("pk"))


def check(options: ExportOptions, *, capped: bool) -> None:
    """Raise ExportRefused if the export cannot be made on this route."""
    if capped and options.format in ("pdf", "docx"):
        count = options.recommendations.count()
        limit = max_recommendations()
        if count > limit:
            raise ExportRefused(
                _(
                    "This report would cover %(count)s recommendations; PDF and Word reports "
                    "made here cover at most %(limit)s. Narrow the filters, download the Excel "
                    "or CSV export, or ask an administrator to run "
                    "`manage.py export_progress --format %(format)s` on the server, which "
                    "has no limit."
                )
                % {"count": count, "limit": limit, "format": options.format}
            )
    if options.format == "xlsx" and options.history:
        count = history_as_of(options.lines(), options.as_of).count()
        if count > EXCEL_MAX_ROWS - 1:
            raise ExportRefused(
                _(
                    "The history has %(count)s status updates, more than an Excel sheet holds "
                    "(%(limit)s rows). Export without the history, narrow the filters, or "
                    "choose an earlier date."
                )
                % {"count": count, "limit": f"{EXCEL_MAX_ROWS - 1:,}"}
            )


# ---------------------------------------------------------------- the follow-up sheet


class KeyList(Aggregate):
    """Comma-separated values of a group: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ', ')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ', ' ORDER BY %(expressions)s)",
            **extra_context,
        )


def _agenda_keys():
    """A recommendation's agenda point keys as one string, as a subquery of the row query,
    so the export holds nothing per recommendation in memory."""
    through = Recommendation.agenda_points.through.objects.filter(
        recommendation=OuterRef("recommendation_id")
    )
    keys = through.values("recommendation").annotate(keys=KeyList("agendapoint__key"))
    return Subquery(keys.values("keys")[:1], output_field=CharField())


def _line_rows(options: ExportOptions):
    """The active lines as of the date, in report order, as dicts: one streaming query."""
    return (
        active_lines_as_of(options.lines(), options.as_of)
        .annotate(agenda_keys=_agenda_keys())
        .order_by("recommendation__position", "recommendation__code", "actor__name", "pk")
        .values(
            "agenda_keys",
            "pk",
            "recommendation_id",
            "recommendation__code",
            "recommendation__title",
            "recommendation__paragraph__number",
            "recommendation__theme_id",
            "recommendation__theme__title",
            "actor__key",
            "actor__name",
            "target_date",
            "asof_status",
            "asof_since",
            "asof_note",
            "asof_links",
            "last_update_id",
        )
        .iterator(chunk_size=ITERATOR_CHUNK_SIZE)
    )


def _per_recommendation(rows) -> Iterator[tuple[list[dict], Status]]:
    """Group consecutive rows by recommendation and roll up each group's statuses."""
    group: list[dict] = []
    for row in rows:
        if group and row["recommendation_id"] != group[0]["recommendation_id"]:
            yield group, roll_up(r["asof_status"] for r in group)
            group = []
        group.append(row)
    if group:
        yield group, roll_up(r["asof_status"] for r in group)


def follow_up_rows(options: ExportOptions, overall: dict | None = None) -> Iterator[list]:
    """The follow-up sheet's rows (values in spreadsheet.COLUMN_KEYS order, dates as dates).

    If `overall` is a dict, it receives {recommendation id: status as of the date}.
    """
    for group, status in _per_recommendation(_line_rows(options)):
        if overall is not None:
            overall[group[0]["recommendation_id"]] = status
        for row in group:
            overdue = bool(
                row["target_date"]
                and row["target_date"] < options.as_of
                and row["asof_status"] not in FINAL_STATUSES
            )
            values = {
                "line_id": row["pk"],
                "recommendation": row["recommendation__code"],
                "title": row["recommendation__title"],
                "paragraph": row["recommendation__paragraph__number"],
                "theme": row["recommendation__theme__title"],
                "agenda_points": row["agenda_keys"] or "",
                "actor": row["actor__key"],
                "actor_name": row["actor__name"],
                "overall_status": status.value,
                "status": row["asof_status"],
                "status_since": row["asof_since"],
                "note": row["asof_note"] or "",
                "evidence_links": "\n".join(row["asof_links"] or []),
                "target_date": row["target_date"],
                "overdue": _("yes") if overdue else _("no"),
                "last_update_id": row["last_update_id"],
            }
            yield [values.get(key) for key in spreadsheet.COLUMN_KEYS]


def _headers(columns) -> list[str]:
    return [spreadsheet.header(key, str(label)) for key, label in columns]


class _Echo:
    """A file-like object csv.writer writes to that hands the line back."""

    def write(self, value):
        return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return spreadsheet.neutralise(value)


def csv_chunks(options: ExportOptions) -> Iterator[str]:
    """The follow-up sheet as CSV text in chunks: a BOM, the header row, one row per line."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(_headers(spreadsheet.FOLLOW_UP_COLUMNS))
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
    cell = WriteOnlyCell(sheet, value=spreadsheet.neutralise(value))
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


def _finish_table_sheet(sheet, columns: int, rows: int):
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


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


def summary_counts(options: ExportOptions, overall: dict[int, Status]):
    """Recommendations by theme x status and by agenda point x status, as of the date.

    `overall` maps recommendation ids with lines to their status as of the date; the other
    selected recommendations have no information. Three queries.
    """
    themes = list(Theme.objects.order_by("number"))
    points = list(AgendaPoint.objects.order_by("number"))
    by_theme = {t.pk: dict.fromkeys(Status, 0) for t in themes}
    by_point = {p.pk: dict.fromkeys(Status, 0) for p in points}
    through = Recommendation.agenda_points.through.objects.filter(
        recommendation__in=options.recommendations.values("pk")
    ).values_list("recommendation_id", "agendapoint_id")
    points_of: dict[int, list[int]] = {}
    for rec_id, point_id in through:
        points_of.setdefault(rec_id, []).append(point_id)
    for rec_id, theme_id in options.recommendations.order_by().values_list("pk", "theme_id"):
        status = overall.get(rec_id, Status.NO_INFORMATION)
        by_theme[theme_id][status] += 1
        for point_id in points_of.get(rec_id, []):
            by_point[point_id][status] += 1
    return [(t, by_theme[t.pk]) for t in themes], [(p, by_point[p.pk]) for p in points]


def _history_rows(options: ExportOptions):
    updates = (
        history_as_of(options.lines(), options.as_of)
        .order_by(
            "line__recommendation__position",
            "line__actor__name",
            "line_id",
            "effective_date",
            "recorded_at",
            "id",
        )
        .values_list(
            "line_id",
            "line__recommendation__code",
            "line__actor__key",
            "line__actor__name",
            "id",
            "effective_date",
            "status",
            "note",
            "evidence_links",
            "recorded_at",
            "recorded_by__username",
            "corrects_id",
        )
        .iterator(chunk_size=ITERATOR_CHUNK_SIZE)
    )
    for row in updates:
        row = list(row)
        row[8] = "\n".join(row[8] or [])
        yield row


def write_xlsx(options: ExportOptions, out) -> None:
    """The workbook: Summary, Follow-up (one row per line) and, if asked, History."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(_("Summary"))
    summary.column_dimensions["A"].width = 48
    follow_up = workbook.create_sheet(_("Follow-up"))
    _prepare_table_sheet(follow_up, [COLUMN_WIDTHS[k] for k in spreadsheet.COLUMN_KEYS])
    follow_up.append(
        [_xlsx_cell(follow_up, h, bold=True) for h in _headers(spreadsheet.FOLLOW_UP_COLUMNS)]
    )
    overall: dict[int, Status] = {}
    count = 0
    for row in follow_up_rows(options, overall):
        follow_up.append([_xlsx_cell(follow_up, value) for value in row])
        count += 1
    _finish_table_sheet(follow_up, len(spreadsheet.COLUMN_KEYS), count)

    by_theme, by_point = summary_counts(options, overall)
    summary.append([_xlsx_cell(summary, _("Progress report: recommendations"), bold=True)])
    summary.append([_("Progress as of"), _xlsx_cell(summary, options.as_of)])
    summary.append([_("Filters"), _filters_text(options)])
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
        history.append([_xlsx_cell(history, h, bold=True) for h in _headers(HISTORY_COLUMNS)])
        count = 0
        for row in _history_rows(options):
            history.append([_xlsx_cell(history, value) for value in row])
            count += 1
        _finish_table_sheet(history, len(HISTORY_COLUMNS), count)
    workbook.save(out)


def _filters_text(options: ExportOptions) -> str:
    if not options.filters:
        return _("none: every main recommendation")
    return "; ".join(f"{label}: {value}" for label, value in options.filters)


# ---------------------------------------------------------------- documents


def write_docx(options: ExportOptions, out) -> None:
    from .progress_report import build
    from .progress_report import write_docx as _write

    _write(build(options), out)


def write_pdf(options: ExportOptions, out) -> None:
    from .progress_report import build
    from .progress_report import write_pdf as _write

    _write(build(options), out)


WRITERS = {"xlsx": write_xlsx, "docx": write_docx, "pdf": write_pdf}


def write(options: ExportOptions, out) -> None:
    """Write the export to a binary file (CSV as UTF-8 with a BOM)."""
    if options.format == "csv":
        for chunk in csv_chunks(options):
            out.write(chunk.encode("utf-8"))
    else:
        WRITERS[options.format](options, out)
