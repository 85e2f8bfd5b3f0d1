"""The rows every export is made of, each from one streaming query: the follow-up sheet
(one row per line as of the date), the history (one row per status update up to the date)
and the summary counts (recommendations by theme, agenda point, Global Compact objective
and SDG target x status)."""

from collections.abc import Iterator

from django.db import connection
from django.db.models import Aggregate, CharField, Count, Exists, Func, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hearings.models import GcmTag, Recommendation, SdgTag, Theme
from tracker.evidence.selectors import available_files, download_urls
from tracker.models import Status
from tracker.tallies import group_links

from . import columns, sheet_query
from .asof import history_as_of
from .groups import AGENDA, KINDS
from .options import ExportOptions

ITERATOR_CHUNK_SIZE = 2000

# The last rows of the summary tables, in every format. A recommendation has one theme, so
# the theme rows add up to every recommendation; it has 0-2 agenda points (0-3 objectives,
# 0-3 targets), so those tables have a row for those with none, their rows add up to
# recommendation-group pairs, and a last row counts each recommendation once (the theme
# table's total).
ALL_RECOMMENDATIONS = gettext_lazy("All recommendations")
ALL_AGENDA_ROWS = AGENDA.all_rows
EACH_ONCE = gettext_lazy("Recommendations, each counted once")
ALL_LINES = gettext_lazy("All follow-up lines")
# Each kind's link table and its column naming the group, for the Summary's counts.
LINKS = {"agenda": (Recommendation.agenda_points.through, "agendapoint_id"),
         "gcm": (GcmTag, "objective_id"), "sdg": (SdgTag, "target_id")}  # fmt: skip


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
        *values, rec_id, theme_id, file_pairs, gcm, sdg = row
        gcm, sdg = gcm or "", sdg or ""
        values[_SINCE], values[_TARGET] = (sheet_query.as_date(values[i])
                                           for i in (_SINCE, _TARGET))  # fmt: skip
        values[_OVERDUE] = yes if values[_OVERDUE] else no
        for i in _TEXTS:
            values[i] = values[i] or ""
        if summary is not None and rec_id != last:
            keys = {"agenda": values[_TEXTS[0]], "gcm": gcm, "sdg": sdg}
            summary.add(theme_id, keys, values[_OVERALL])
            last = rec_id
        yield [*values, *[None] * _NEW_COLUMNS, download_urls(file_pairs), gcm, sdg]


class SummaryCounts:
    """The Summary's counts (recommendations by theme x status, and by agenda point, Global
    Compact objective and SDG target x status), kept as the sheet's rows stream by: memory
    for the counts only."""

    def __init__(self, options: ExportOptions):
        self.options = options
        self.themes = list(Theme.objects.order_by("number"))
        self.groups = {key: kind.groups() for key, kind in KINDS.items()}
        self.group_of = {key: {g.key: g.pk for g in groups} for key, groups in self.groups.items()}
        self.by_theme = {t.pk: dict.fromkeys(Status, 0) for t in self.themes}
        self.by_group = {
            key: {pk: dict.fromkeys(Status, 0) for pk in [*self.group_of[key].values(), None]}
            for key in KINDS
        }

    def add(self, theme_id, group_keys: dict[str, str], status) -> None:
        """One recommendation: its theme, its groups' keys per kind ("a, b"), its status."""
        status = Status(status)
        self.by_theme[theme_id][status] += 1
        for kind, keys in group_keys.items():
            pks = [self.group_of[kind][key] for key in keys.split(", ")] if keys else [None]
            for pk in pks:
                self.by_group[kind][pk][status] += 1

    def tables(self):
        """summary_counts' tables: the selected recommendations never added (no line on the
        date) have no information. Two queries."""
        selected = Recommendation.objects.filter(pk__in=self.options.recommendations.values("pk"))
        nones = {
            f"none_{kind}": Count(
                "pk", filter=~Exists(model.objects.filter(recommendation=OuterRef("pk")))
            )
            for kind, (model, _column) in LINKS.items()
        }
        per_theme = selected.order_by().values("theme_id").annotate(n=Count("pk"), **nones)
        totals = {kind: {None: 0} for kind in KINDS}
        for row in per_theme:
            self._rest(self.by_theme[row["theme_id"]], row["n"])
            for kind in KINDS:
                totals[kind][None] += row[f"none_{kind}"]
        parts = [
            model.objects.filter(recommendation__in=selected.values("pk"))
            .order_by()
            .values(column)
            .annotate(n=Count("pk"), kind=Value(kind))
            .values_list("kind", column, "n")
            for kind, (model, column) in LINKS.items()
        ]
        for kind, pk, n in parts[0].union(*parts[1:], all=True):
            totals[kind][pk] = n
        for kind, by_pk in self.by_group.items():
            for pk, counts in by_pk.items():
                self._rest(counts, totals[kind].get(pk, 0))
        return [(t, self.by_theme[t.pk]) for t in self.themes], self._group_rows(self.by_group)

    def _group_rows(self, by_group) -> dict[str, list]:
        return {
            key: [(g, by_group[key][g.pk]) for g in self.groups[key]]
            + [(kind.no_group(), by_group[key][None])]
            for key, kind in KINDS.items()
        }

    @staticmethod
    def _rest(counts, total) -> None:
        counts[Status.NO_INFORMATION] += total - sum(counts.values())


def summary_counts(options: ExportOptions, overall: dict[int, Status]):
    """Recommendations by theme x status, and {kind: rows} by agenda point, Global Compact
    objective and SDG target x status, as of the date: each kind's rows end with its
    NoGroup, so every selected recommendation is counted.

    `overall` maps recommendation ids with lines to their status as of the date; the other
    selected recommendations have no information. Six queries.
    """
    themes = list(Theme.objects.order_by("number"))
    groups = {key: kind.groups() for key, kind in KINDS.items()}
    by_theme = {t.pk: dict.fromkeys(Status, 0) for t in themes}
    by_group = {
        key: {pk: dict.fromkeys(Status, 0) for pk in [*(g.pk for g in groups[key]), None]}
        for key in KINDS
    }
    groups_of: dict[tuple, list[int]] = {}
    for rec_id, group_id, kind in group_links(
        recommendation_ids=options.recommendations.order_by().values("pk")
    ):
        groups_of.setdefault((str(kind), rec_id), []).append(group_id)
    for rec_id, theme_id in options.recommendations.order_by().values_list("pk", "theme_id"):
        status = overall.get(rec_id, Status.NO_INFORMATION)
        by_theme[theme_id][status] += 1
        for kind in KINDS:
            for group_id in groups_of.get((kind, rec_id), [None]):
                by_group[kind][group_id][status] += 1
    rows = {
        key: [(g, by_group[key][g.pk]) for g in groups[key]]
        + [(kind.no_group(), by_group[key][None])]
        for key, kind in KINDS.items()
    }
    return [(t, by_theme[t.pk]) for t in themes], rows


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
