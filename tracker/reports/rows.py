"""The rows every export is made of, each from one streaming query: the follow-up sheet
(one row per line as of the date), the history (one row per status update up to the date)
and the summary counts (recommendations by theme and agenda point x status)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Aggregate, CharField, Func, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hearings.models import AgendaPoint, Recommendation, Theme
from tracker.evidence.selectors import available_files, download_urls
from tracker.models import FINAL_STATUSES, Status
from tracker.rollup import roll_up

from . import columns
from .asof import active_lines_as_of, history_as_of
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
    title: str = gettext_lazy("No agenda point")

    def __str__(self):
        return str(self.title)


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


def _line_rows(options: ExportOptions):
    """The active lines as of the date, in report order, as dicts: one streaming query."""
    return (
        active_lines_as_of(options.lines(), options.as_of)
        .annotate(agenda_keys=_agenda_keys(), file_pairs=_file_pairs("asof_update_id"))
        .order_by("recommendation__position", "recommendation__code", "actor__name", "pk")
        .values(
            "agenda_keys",
            "file_pairs",
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
    """The follow-up sheet's rows (values in columns.COLUMN_KEYS order, dates as dates).

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
                "evidence_files": download_urls(row["file_pairs"]),
                "target_date": row["target_date"],
                "overdue": _("yes") if overdue else _("no"),
                "last_update_id": row["last_update_id"],
            }
            yield [values.get(key) for key in columns.COLUMN_KEYS]


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
