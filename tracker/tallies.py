"""The dashboard's figures, kept current in the same transaction as each write.

Every line and every main recommendation remembers what the figures count it as (its
`counted_*` fields). `recount` compares that with what it is now and inserts the
difference as Tally rows: -1 where it was counted, +1 where it is counted now. Writers
only ever insert, so two writers never wait for each other on a figure, however long one
of them runs (a 5,000-row import). A figure is the sum of its rows; `fold` replaces the
rows by their sums now and then, without blocking writers either.

What changes with the clock (overdue, stale) is not tallied: the dashboard reads it from
partial indexes by date (tracker.selectors).
"""

from collections import Counter, defaultdict

from django.db import connection, transaction
from django.db.models import Count, Sum, Value

from hearings.models import GcmTag, Recommendation, SdgTag

from .models import FollowUpLine, RecommendationProgress, Tally

# The dashboard folds the rows when this many more than the figures' own are waiting.
FOLD_AFTER = 2000
Figure = Tally.Figure
# The figures a main recommendation counts under once per group it belongs to: the
# recommendation's state holds those groups' ids, its progress remembers them.
GROUP_FIGURES = {
    Figure.AGENDA_POINT: ("agenda_ids", "counted_agenda_ids"),
    Figure.GCM_OBJECTIVE: ("gcm_ids", "counted_gcm_ids"),
    Figure.SDG_TARGET: ("sdg_ids", "counted_sdg_ids"),
}


def is_active(line: dict) -> bool:
    """models.ACTIVE_LINE for a line read as a dict (addressed, or added by a coordinator)."""
    return line["addressed"] or line["added_by_id"] is not None


def line_counted_as(line: dict, followed: bool):
    """The status a line counts under, or "" for none: followed (current main
    recommendation) and active."""
    return line["status"] if followed and is_active(line) else ""


def recount(recommendations: dict, lines: list[dict], progress_rows) -> None:
    """Bring the figures up to date for these recommendations and their lines.

    `recommendations` maps id -> {"theme_id", "followed", "agenda_ids", "gcm_ids",
    "sdg_ids"}; `lines` are
    dicts with id, actor_id, status, addressed, added_by_id, counted_status and
    recommendation_id; `progress_rows` are the recommendations' RecommendationProgress
    instances, whose counted fields are set here (the caller saves them).
    """
    changes: Counter = Counter()
    recounted: dict = defaultdict(list)
    for line in lines:
        now = line_counted_as(line, recommendations[line["recommendation_id"]]["followed"])
        if now != line["counted_status"]:
            if line["counted_status"]:
                changes[(Figure.ACTOR_LINES, line["actor_id"], line["counted_status"])] -= 1
            if now:
                changes[(Figure.ACTOR_LINES, line["actor_id"], now)] += 1
            recounted[now].append(line["id"])
    for progress in progress_rows:
        rec = recommendations[progress.recommendation_id]
        was = _counted_keys(progress)
        if rec["followed"]:
            progress.counted_status = progress.status
            progress.counted_theme_id = rec["theme_id"]
        else:
            progress.counted_status, progress.counted_theme_id = "", None
        for ids, counted in GROUP_FIGURES.values():
            setattr(progress, counted, sorted(rec[ids]) if rec["followed"] else [])
        for key in was:
            changes[key] -= 1
        for key in _counted_keys(progress):
            changes[key] += 1
    for status, ids in recounted.items():
        FollowUpLine.objects.filter(pk__in=ids).update(counted_status=status)
    Tally.objects.bulk_create(
        Tally(figure=figure, key=key, status=status, n=n)
        for (figure, key, status), n in changes.items()
        if n
    )


def _counted_keys(progress) -> list[tuple]:
    if not progress.counted_status:
        return []
    keys = [(Figure.THEME, progress.counted_theme_id, progress.counted_status)]
    for figure, (_ids, counted) in GROUP_FIGURES.items():
        keys += [(figure, pk, progress.counted_status) for pk in getattr(progress, counted)]
    return keys


def recommendations_state(recommendation_ids) -> dict:
    """What recount needs to know of these recommendations, in two queries."""
    state = {
        pk: {"theme_id": theme_id, "followed": withdrawn is None and restates is None}
        for pk, theme_id, withdrawn, restates in Recommendation.objects.filter(
            pk__in=recommendation_ids
        ).values_list("pk", "theme_id", "withdrawn_at", "restates_id")
    }
    for row in state.values():
        for ids, _counted in GROUP_FIGURES.values():
            row[ids] = []
    for rec_id, group_id, figure in group_links(recommendation_ids=recommendation_ids):
        state[rec_id][GROUP_FIGURES[figure][0]].append(group_id)
    return state


def group_links(*, recommendation_ids=None, main=False):
    """(recommendation id, group id, figure) of every agenda point, Global Compact
    objective and SDG target of these recommendations (or of every main one): one query,
    a UNION ALL of the three link tables."""
    tables = [
        (Recommendation.agenda_points.through.objects, "agendapoint_id", Figure.AGENDA_POINT),
        (GcmTag.objects, "objective_id", Figure.GCM_OBJECTIVE),
        (SdgTag.objects, "target_id", Figure.SDG_TARGET),
    ]
    parts = []
    for objects, group, figure in tables:
        links = objects.order_by()
        if recommendation_ids is not None:
            links = links.filter(recommendation_id__in=recommendation_ids)
        if main:
            links = links.filter(
                recommendation__withdrawn_at__isnull=True, recommendation__restates__isnull=True
            )
        parts.append(
            links.annotate(figure=Value(str(figure))).values_list(
                "recommendation_id", group, "figure"
            )
        )
    return parts[0].union(*parts[1:], all=True)


def figures() -> dict[tuple, int]:
    """Every figure: {(figure, key, status): n}, leaving out zeros. One query, and a fold
    when many rows are waiting."""
    rows = list(
        Tally.objects.values_list("figure", "key", "status").annotate(n=Sum("n"), rows=Count("pk"))
    )
    if sum(row[4] for row in rows) > len(rows) + FOLD_AFTER:
        fold()
    return {(figure, key, status): n for figure, key, status, n, _rows in rows if n}


@transaction.atomic
def fold() -> int:
    """Replace the rows by their sums; returns the rows folded. Only the rows this call
    deleted are summed (DELETE ... RETURNING), so rows that writers insert meanwhile, or
    that another fold took, are never counted twice."""
    table = connection.ops.quote_name(Tally._meta.db_table)
    with connection.cursor() as cursor:
        # The table name is the model's own; there is no parameter.
        cursor.execute(f"DELETE FROM {table} RETURNING figure, key, status, n")  # noqa: S608
        taken = cursor.fetchall()
    sums: Counter = Counter()
    for figure, key, status, n in taken:
        sums[(figure, key, status)] += n
    Tally.objects.bulk_create(
        Tally(figure=figure, key=key, status=status, n=n)
        for (figure, key, status), n in sums.items()
        if n
    )
    return len(taken)


def expected() -> dict[tuple, int]:
    """The figures counted afresh from the lines and recommendations themselves (for the
    checks and the tests; it reads every row)."""
    from django.db.models import Q

    counts: Counter = Counter()
    lines = FollowUpLine.objects.followed().active().values("actor_id", "status")
    for row in lines.annotate(n=Count("pk")):
        counts[(Figure.ACTOR_LINES, row["actor_id"], row["status"])] += row["n"]
    main = RecommendationProgress.objects.filter(
        Q(recommendation__withdrawn_at__isnull=True), Q(recommendation__restates__isnull=True)
    )
    for row in main.values("recommendation__theme", "status").annotate(n=Count("pk")):
        counts[(Figure.THEME, row["recommendation__theme"], row["status"])] += row["n"]
    statuses = dict(main.values_list("recommendation_id", "status"))
    for rec_id, group_id, figure in group_links(main=True):
        if rec_id in statuses:
            counts[(figure, group_id, statuses[rec_id])] += 1
    return {key: n for key, n in counts.items() if n}
