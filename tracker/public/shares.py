"""The share of the follow-up kept out of public view, so public figures can leave it out.

The dashboard's figures (tracker.tallies) count every followed line and main
recommendation. A coordinator keeps a few out of public view (tracker.publication), so
the public side takes their share out again rather than counting afresh: the tallies
(one query), then the Withholding rows (few) and what they touch, in at most two more
queries whatever the size. Which lines are kept out is visibility's rule
(`visibility.withheld_line_ids`: lines kept out one by one or with their recommendation);
`withheld()` reads the same rows with what is counted of them (a test holds the two
equal).

A public recommendation with a line kept out has its overall status rolled up again
from its public lines (tracker.rollup), so that its status does not give the hidden
line away; everywhere the public side shows or filters an overall status, that one is
used (`rollups`).
"""

from collections import Counter
from dataclasses import dataclass, field

from tracker.models import FollowUpLine, RecommendationProgress, Tally
from tracker.publication.models import Withholding
from tracker.rollup import count_by_status, roll_up
from tracker.tallies import is_active

LINE_FIELDS = (
    "id",
    "recommendation_id",
    "actor_id",
    "status",
    "counted_status",
    "addressed",
    "added_by_id",
    "target_date",
    "last_recorded_at",
    "created_at",
)


@dataclass(frozen=True)
class Withheld:
    recommendation_ids: frozenset = frozenset()
    line_ids: frozenset = frozenset()
    # Lines kept out that the figures count: dicts of LINE_FIELDS.
    counted_lines: tuple = ()
    # {recommendation id: (status, {status: lines})} for public main recommendations
    # with a line kept out: their overall status from their public lines.
    rollups: dict = field(default_factory=dict)
    # What to add to tallies.figures() to leave all of it out.
    tally_changes: Counter = field(default_factory=Counter)

    def status_of(self, recommendation_id, progress):
        """(status, line counts) as the public side shows them, for a main recommendation."""
        if recommendation_id in self.rollups:
            return self.rollups[recommendation_id]
        if progress is None:
            return None
        return progress.status, progress.line_counts


NOTHING = Withheld()


def withheld() -> Withheld:
    """What is kept out of public view and its share of the figures: one query when
    nothing is, three otherwise."""
    rows = list(
        Withholding.objects.values_list("recommendation_id", "line_id", "line__recommendation_id")
    )
    if not rows:
        return NOTHING
    rec_ids = frozenset(rec for rec, _line, _of in rows if rec)
    own_line_ids = {line for _rec, line, _of in rows if line}
    touched = rec_ids | {of for _rec, _line, of in rows if of}
    lines = list(FollowUpLine.objects.filter(recommendation_id__in=touched).values(*LINE_FIELDS))
    progress = {
        row["recommendation_id"]: row
        for row in RecommendationProgress.objects.filter(recommendation_id__in=touched).values(
            "recommendation_id",
            "counted_status",
            "counted_theme_id",
            "counted_agenda_ids",
            "counted_gcm_ids",
            "counted_sdg_ids",
        )
    }
    hidden = [
        line for line in lines if line["id"] in own_line_ids or line["recommendation_id"] in rec_ids
    ]
    changes: Counter = Counter()
    for line in hidden:
        if line["counted_status"]:
            changes[(Tally.Figure.ACTOR_LINES, line["actor_id"], line["counted_status"])] -= 1
    for rec_id in rec_ids:
        _move(changes, progress.get(rec_id), None)
    rollups = {}
    for rec_id in touched - rec_ids:
        statuses = [
            line["status"]
            for line in lines
            if line["recommendation_id"] == rec_id
            and is_active(line)
            and line["id"] not in own_line_ids
        ]
        rollups[rec_id] = (roll_up(statuses).value, count_by_status(statuses))
        _move(changes, progress.get(rec_id), rollups[rec_id][0])
    return Withheld(
        recommendation_ids=rec_ids,
        line_ids=frozenset(line["id"] for line in hidden),
        counted_lines=tuple(line for line in hidden if line["counted_status"]),
        rollups=rollups,
        tally_changes=changes,
    )


def _move(changes: Counter, progress: dict | None, status: str | None) -> None:
    """Count a main recommendation under `status` (None: not at all) rather than under
    what the figures count it as."""
    if not progress or not progress["counted_status"] or progress["counted_status"] == status:
        return
    keys = [(Tally.Figure.THEME, progress["counted_theme_id"])]
    keys += [(Tally.Figure.AGENDA_POINT, pk) for pk in progress["counted_agenda_ids"]]
    keys += [(Tally.Figure.GCM_OBJECTIVE, pk) for pk in progress["counted_gcm_ids"]]
    keys += [(Tally.Figure.SDG_TARGET, pk) for pk in progress["counted_sdg_ids"]]
    for figure, key in keys:
        changes[(figure, key, progress["counted_status"])] -= 1
        if status:
            changes[(figure, key, status)] += 1
