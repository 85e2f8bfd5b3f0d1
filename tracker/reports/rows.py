"""The rows every export is made of, each from one streaming query: the follow-up sheet
(one row per line as of the date), the history (one row per status update up to the date)
and the summary counts (recommendations by theme and agenda point x status)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, CharField, Count, Func, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hearings.models import AgendaPoint, Recommendation, Theme
from tracker.evidence.selectors import available_files, download_urls
from tracker.models import Status

from . import columns, sheet_query
from .asof import history_as_of
from .options import ExportOptions

ITERATOR_CHUNK_SIZE = 2000

# The last rows of the summary tables, in every format. A recommendation has one theme, so
# the theme rows add up to every recommendation; it has 0-2 agenda points, so the agenda
# table has a row for those with none and its rows add up to recommendation-point pairs,
# and a last row counts each recommendation once (the theme table's total).
ALL_RECOMMENDATIONS = gettext_lazy("All recommendations")
ALL_AGENDA_ROWS = gettext_lazy(
    "All rows (a recommendation under two agenda points counts under each)"
)
EACH_ONCE = gettext_lazy("Recommendations, each counted once")
ALL_LINES = gettext_lazy("All follow-up lines")


@dataclass(frozen=True)
class NoAgendaPoint:
    """The agenda table's row for recommendations tied to no agenda point."""

    number = None
    pk = None
    title: str = gettext_lazy("No agenda point")

    def __str__(self):
        return str(self.title)


def sheet_rows(options: ExportOptions) -> Iterator[tuple]:
    """sheet_query.RAW_COLUMNS of every line in the sheet, from a server-side cursor
    (PostgreSQL; SQLite's cursor steps through the result), ITERATOR_CHUNK_SIZE at a time."""
    sql, params = sheet_query.raw_query(options)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(ITERATOR_CHUNK_SIZE):
            yield from chunk


_SINCE, _TARGET, _OVERDUE, _OVERALL = (
    sheet_query.RAW_COLUMNS.index(key)
    for key in ("status_since", "target_date", "overdue", "overall_status")
)
_TEXTS = [sheet_query.RAW_COLUMNS.index(key)
          for key in ("agenda_points", "note", "evidence_links")]  # fmt: skip
# The NEW columns, empty in an export, between the stored values and the evidence files.
_NEW_COLUMNS = columns.COLUMN_KEYS.index("evidence_files") - columns.COLUMN_KEYS.index("new_status")


def follow_up_rows(options: ExportOptions, summary: "SummaryCounts | None" = None):
    """The follow-up sheet's rows (values in columns.COLUMN_KEYS order, dates as dates).

    If `summary` is given, each recommendation is counted in it once, with its status.
    """
    yes, no = _("yes"), _("no")
    last = None
    for row in sheet_rows(options):
        *values, rec_id, theme_id, file_pairs = row
        values[_SINCE], values[_TARGET] = (sheet_query.as_date(values[i])
                                           for i in (_SINCE, _TARGET))  # fmt: skip
        values[_OVERDUE] = yes if values[_OVERDUE] else no
        for i in _TEXTS:
            values[i] = values[i] or ""
        if summary is not None and rec_id != last:
            summary.add(theme_id, values[_TEXTS[0]], values[_OVERALL])
            last = rec_id
        yield [*values, *[None] * _NEW_COLUMNS, download_urls(file_pairs)]


class SummaryCounts:
    """The Summary's counts (recommendations by theme x status and by agenda point x
    status), kept as the sheet's rows stream by: memory for the counts only."""

    def __init__(self, options: ExportOptions):
        self.options = options
        self.themes = list(Theme.objects.order_by("number"))
        self.points = list(AgendaPoint.objects.order_by("number"))
        self.point_of = {p.key: p.pk for p in self.points}
        self.by_theme = {t.pk: dict.fromkeys(Status, 0) for t in self.themes}
        self.by_point = {p.pk: dict.fromkeys(Status, 0) for p in [*self.points, NoAgendaPoint]}

    def add(self, theme_id, agenda_keys: str, status) -> None:
        """One recommendation: its theme, its agenda point keys ("a, b"), its status."""
        status = Status(status)
        self.by_theme[theme_id][status] += 1
        keys = agenda_keys.split(", ") if agenda_keys else []
        for point_id in [self.point_of[key] for key in keys] or [NoAgendaPoint.pk]:
            self.by_point[point_id][status] += 1

    def tables(self):
        """summary_counts' two tables: the selected recommendations never added (no line
        on the date) have no information. Two queries."""
        selected = Recommendation.objects.filter(pk__in=self.options.recommendations.values("pk"))
        per_theme = (
            selected.order_by()
            .values("theme_id")
            .annotate(
                n=Count("pk", distinct=True), none=Count("pk", filter=Q(agenda_points__isnull=True))
            )
        )
        through = Recommendation.agenda_points.through.objects.filter(
            recommendation__in=selected.values("pk")
        )
        totals = {NoAgendaPoint.pk: 0}
        for row in per_theme:
            self._rest(self.by_theme[row["theme_id"]], row["n"])
            totals[NoAgendaPoint.pk] += row["none"]
        for point_id, n in through.order_by().values("agendapoint_id").annotate(
            n=Count("pk")
        ).values_list("agendapoint_id", "n"):  # fmt: skip
            totals[point_id] = n
        for point_id, counts in self.by_point.items():
            self._rest(counts, totals.get(point_id, 0))
        by_points = [(p, self.by_point[p.pk]) for p in self.points]
        by_points.append((NoAgendaPoint(), self.by_point[NoAgendaPoint.pk]))
        return [(t, self.by_theme[t.pk]) for t in self.themes], by_points

    @staticmethod
    def _rest(counts, total) -> None:
        counts[Status.NO_INFORMATION] += total - sum(counts.values())


def summary_counts(options: ExportOptions, overall: dict[int, Status]):
    """Recommendations by theme x status and by agenda point x status, as of the date: the
    agenda rows end with NoAgendaPoint(), so every selected recommendation is counted.

    `overall` maps recommendation ids with lines to their status as of the date; the other
    selected recommendations have no information. Three queries.
    """
    themes = list(Theme.objects.order_by("number"))
    points = list(AgendaPoint.objects.order_by("number"))
    by_theme = {t.pk: dict.fromkeys(Status, 0) for t in themes}
    by_point = {p.pk: dict.fromkeys(Status, 0) for p in points}
    by_point[None] = dict.fromkeys(Status, 0)
    through = Recommendation.agenda_points.through.objects.filter(
        recommendation__in=options.recommendations.values("pk")
    ).values_list("recommendation_id", "agendapoint_id")
    points_of: dict[int, list[int]] = {}
    for rec_id, point_id in through:
        points_of.setdefault(rec_id, []).append(point_id)
    for rec_id, theme_id in options.recommendations.order_by().values_list("pk", "theme_id"):
        status = overall.get(rec_id, Status.NO_INFORMATION)
        by_theme[theme_id][status] += 1
        for point_id in points_of.get(rec_id, [None]):
            by_point[point_id][status] += 1
    by_points = [(p, by_point[p.pk]) for p in points] + [(NoAgendaPoint(), by_point[None])]
    return [(t, by_theme[t.pk]) for t in themes], by_points


def column_totals(rows) -> dict[Status, int]:
    """The sums of a summary table's rows [(group, {status: n})], per status."""
    totals = dict.fromkeys(Status, 0)
    for _group, counts in rows:
        for status, n in counts.items():
            totals[Status(status)] += n
    return totals


def history_rows(options: ExportOptions):
    updates = (
        history_as_of(options.lines(), options.as_of)
        .annotate(file_pairs=_file_pairs("pk"))
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
            "file_pairs",
            "recorded_at",
            "recorded_by__username",
            "corrects_id",
        )
        .iterator(chunk_size=ITERATOR_CHUNK_SIZE)
    )
    for row in updates:
        row = list(row)
        row[8] = "\n".join(row[8] or [])
        row[9] = download_urls(row[9])
        yield row


class KeyList(Aggregate):
    """Space-separated values of a group: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ' ' ORDER BY %(expressions)s)",
            **extra_context,
        )


def _file_pairs(update_ref: str):
    """The files of the update `update_ref` names, as "id:key" pairs in one string (a
    subquery of the row query; selectors.download_urls makes the links)."""
    # Joined in SQL without a parameter: KeyList repeats its expression on PostgreSQL.
    pair = Func(
        Cast("id", CharField()),
        Cast("key", CharField()),
        template="(%(expressions)s)",
        arg_joiner=" || ':' || ",
        output_field=CharField(),
    )
    files = available_files().filter(update_id=OuterRef(update_ref)).order_by()
    pairs = files.values("update_id").annotate(pairs=KeyList(pair))
    return Subquery(pairs.values("pairs")[:1], output_field=CharField())
