"""Statuses as they stood on a date, rebuilt from the history of status updates.

The rule is AS_OF_RULE below, in the words the README, the report's annex and the Excel
Summary sheet use. Everything is computed with correlated subqueries, so the number of
queries does not depend on the number of lines and the result can be streamed with
.iterator().
"""

import datetime

from django.db.models import Exists, JSONField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tracker.models import ACTIVE_LINE, Status, StatusUpdate
from tracker.rollup import roll_up

# The one ordering, newest first.
NEWEST_FIRST = ("-effective_date", "-recorded_at", "-id")


AS_OF_RULE = _(
    "A follow-up line counts in a report as of a date if it existed on that date: a line "
    "from the catalogue exists from the date of the hearings (15 July 2013), a line added "
    "by a coordinator from the day it was added or from the earlier date given as "
    "“followed since”, and either way from its first status update in effect if "
    "that is earlier; a line whose actor the catalogue no longer addresses leaves reports "
    "from the day that changed. A line's status as of the date is its latest status "
    "update effective on or before that date, updates being ordered by effective date, "
    "then by the time they were recorded, then by the order they were recorded in; a line "
    "with no such update has no information."
)


def existing_on(as_of: datetime.date) -> Q:
    """Lines that existed on the date (AS_OF_RULE): followed since then, or with an update
    in effect by then; and still addressed then, or added by a coordinator."""
    in_effect = StatusUpdate.objects.filter(line=OuterRef("pk"), effective_date__lte=as_of)
    began = Q(followed_since__lte=as_of) | Q(Exists(in_effect))
    addressed = Q(dropped_on__isnull=True) | Q(dropped_on__gt=as_of) | Q(added_by__isnull=False)
    return began & addressed


def lines_as_of(lines: QuerySet, as_of: datetime.date) -> QuerySet:
    """The lines that existed on the date, annotated with their state on that date.

    Annotations: asof_status, asof_update_id, asof_note, asof_links, asof_since (the
    effective date of that update), and last_update_id (the newest update recorded on
    the line, whatever the date: what an import compares against).
    """
    latest = StatusUpdate.objects.filter(line=OuterRef("pk"), effective_date__lte=as_of).order_by(
        *NEWEST_FIRST
    )
    newest_recorded = StatusUpdate.objects.filter(line=OuterRef("pk")).order_by("-id")
    return lines.filter(existing_on(as_of)).annotate(
        asof_update_id=Subquery(latest.values("id")[:1]),
        asof_status=Coalesce(Subquery(latest.values("status")[:1]), Value(Status.NO_INFORMATION)),
        asof_note=Subquery(latest.values("note")[:1]),
        asof_links=Subquery(latest.values("evidence_links")[:1], output_field=JSONField()),
        asof_since=Subquery(latest.values("effective_date")[:1]),
        last_update_id=Subquery(newest_recorded.values("id")[:1]),
    )


def active_lines_on(lines: QuerySet, as_of: datetime.date) -> QuerySet:
    """Lines that count in a roll-up on the date: models.ACTIVE_LINE then, which is the
    lines that existed on it (existing_on keeps a dropped line up to the day it was
    dropped). As of today this is ACTIVE_LINE itself."""
    return lines.filter(ACTIVE_LINE | Q(dropped_on__isnull=False)).filter(existing_on(as_of))


def active_lines_as_of(lines: QuerySet, as_of: datetime.date) -> QuerySet:
    """active_lines_on, annotated as lines_as_of does."""
    return lines_as_of(lines.filter(ACTIVE_LINE | Q(dropped_on__isnull=False)), as_of)


def history_as_of(lines: QuerySet, as_of: datetime.date) -> QuerySet:
    """Every status update of these lines effective on or before the date, in order."""
    return StatusUpdate.objects.filter(
        line__in=lines.filter(existing_on(as_of)).values("pk"), effective_date__lte=as_of
    )


def recommendation_statuses_as_of(lines: QuerySet, as_of: datetime.date) -> dict[int, Status]:
    """{recommendation id: rolled-up status as of the date} for recommendations with lines.

    One query. A recommendation without active lines on the date is not in the dict: its
    status is "no information" (roll_up of nothing).
    """
    statuses: dict[int, list[str]] = {}
    rows = active_lines_as_of(lines, as_of).values_list("recommendation_id", "asof_status")
    for rec_id, status in rows.order_by():
        statuses.setdefault(rec_id, []).append(status)
    return {rec_id: roll_up(found) for rec_id, found in statuses.items()}
