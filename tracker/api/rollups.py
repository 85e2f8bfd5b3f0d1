"""The roll-ups: main recommendations per overall status, in total and by theme, agenda
point, GCM objective and SDG target, and the lines that count per status.

Today: the dashboard's figures (tracker.tallies); for anonymous callers the public
site's, less the share kept out of public view (tracker.public.shares: a recommendation
with a line kept out rolled up again from its public lines). As of a date: every counted line
then, rolled up again (tracker.reports.asof; one pass over the lines, then each
recommendation's groups)."""

from collections import Counter, defaultdict

from hearings.models import (
    AgendaPoint,
    GcmObjective,
    GcmTag,
    Recommendation,
    SdgTag,
    SdgTarget,
    Theme,
)
from tracker import tallies
from tracker.models import FollowUpLine, Status, Tally
from tracker.public.selectors import public_sums
from tracker.public.shares import withheld
from tracker.publication import visibility
from tracker.reports.asof import active_lines_as_of
from tracker.rollup import roll_up

from .selectors import Caller

AgendaLink = Recommendation.agenda_points.through
# (name in the answer, the groups' model and order, the link to recommendations: its
# model and the column naming the group)
GROUPS = (
    ("themes", Theme, "number", None, "theme_id"),
    ("agenda_points", AgendaPoint, "number", AgendaLink, "agendapoint_id"),
    ("gcm_objectives", GcmObjective, "number", GcmTag, "objective_id"),
    ("sdg_targets", SdgTarget, "position", SdgTag, "target_id"),
)


def _main(caller: Caller):
    recs = visibility.recommendations() if caller.public else Recommendation.objects.current()
    return recs.filter(restates__isnull=True)


def _links(model, recs):
    return model.objects.filter(recommendation__in=recs.values("pk")).order_by()


def _memberships(recs) -> dict[str, dict[int, list[int]]]:
    """{group name: {recommendation id: [group ids]}}, for these recommendations."""
    found: dict[str, dict[int, list[int]]] = {}
    for name, _model, _order, link, column in GROUPS:
        rows = found[name] = defaultdict(list)
        if link is None:
            query = recs.order_by().values_list("pk", column)
        else:
            query = _links(link, recs).values_list("recommendation_id", column)
        for rec_id, group_id in query:
            rows[rec_id].append(group_id)
    return found


def _today(sums) -> tuple[dict[str, Counter], Counter]:
    """The figures from the dashboard's tallies (`sums`: tallies.figures(), or the public
    ones, less what is kept out of public view)."""
    kinds = {
        "themes": Tally.Figure.THEME,
        "agenda_points": Tally.Figure.AGENDA_POINT,
        "gcm_objectives": Tally.Figure.GCM_OBJECTIVE,
        "sdg_targets": Tally.Figure.SDG_TARGET,
    }
    counts = {
        name: Counter({(k, s): n for (f, k, s), n in sums.items() if f == figure})
        for name, figure in kinds.items()
    }
    lines = Counter()
    for (figure, _key, status), n in sums.items():
        if figure == Tally.Figure.ACTOR_LINES:
            lines[status] += n
    return counts, lines


def _as_of(caller: Caller, recs, as_of) -> tuple[dict[str, Counter], Counter]:
    chosen = visibility.lines() if caller.public else FollowUpLine.objects.followed()
    chosen = chosen.filter(recommendation__in=recs.values("pk")).order_by()
    statuses = defaultdict(list)
    lines = Counter()
    rows = active_lines_as_of(chosen, as_of).values_list("recommendation_id", "asof_status")
    for rec_id, status in rows.iterator(chunk_size=5000):
        statuses[rec_id].append(status)
        lines[status] += 1
    counts: dict[str, Counter] = {}
    for name, members in _memberships(recs).items():
        counted = counts[name] = Counter()
        for rec_id, group_ids in members.items():
            status = roll_up(statuses.get(rec_id, []))
            for group_id in group_ids:
                counted[(group_id, status)] += 1
    return counts, lines


def _by_status(counter: Counter, key=None) -> dict[str, int]:
    if key is None:
        return {s: counter.get(s, 0) for s in Status.values}
    return {s: counter.get((key, s), 0) for s in Status.values}


def rollups(caller: Caller, as_of=None) -> dict:
    """The figures the caller may read, today or as of a date."""
    recs = _main(caller)
    if as_of is not None:
        counts, lines = _as_of(caller, recs, as_of)
    elif caller.public:
        counts, lines = _today(public_sums(withheld()))
    else:
        counts, lines = _today(tallies.figures())
    answer = {"as_of": as_of}
    for name, model, order, _link, _column in GROUPS:
        rows = []
        for group in model.objects.order_by(order):
            by_status = _by_status(counts[name], group.pk)
            title = getattr(group, "short_title", None) or group.title
            rows.append(
                {"key": group.key, "title": title, "total": sum(by_status.values()),
                 "by_status": by_status}
            )  # fmt: skip
        answer[name] = rows
    rec_totals = Counter()
    for (_theme, status), n in counts["themes"].items():
        rec_totals[status] += n  # every recommendation has exactly one theme
    answer["recommendations"] = {
        "total": sum(rec_totals.values()),
        "by_status": _by_status(rec_totals),
    }
    answer["lines"] = {"total": sum(lines.values()), "by_status": _by_status(lines)}
    return answer
