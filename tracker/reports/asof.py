"""Statuses as they stood on a date, rebuilt from the history of status updates.

A line's status as of a date is its latest update effective on or before that date, in
the one ordering (effective date, then time recorded, then id); "no information" if
there is none. Lines created after the date are left out. Everything is computed with
correlated subqueries, so the number of queries does not depend on the number of lines
and the result can be streamed with .iterator().
"""

import datetime

from django.db.models import Exists, JSONField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from tracker.models import Status, StatusUpdate
from tracker.rollup import roll_up

# The one ordering, newest first.
NEWEST_FIRST = ("-effective_date", "-recorded_at", "-id")


def existing_on(as_of: datetime.date) -> Q:
    """Lines that existed on the date: created on or before it (the date taken in UTC), or
    with an update already in effect by then. Catalogue lines are created when the
    catalogue is loaded, often years after the history recorded on them begins; a line
    whose history reaches back to the date existed then in every sense that matters."""
    next_day = datetime.datetime.combine(
        as_of + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
    )
    in_effect = StatusUpdate.objects.filter(line=OuterRef("pk"), effective_date__lte=as_of)
    return Q(created_at__lt=next_day) | Q(Exists(in_effect))


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


def active_lines_as_of(lines: QuerySet, as_of: datetime.date) -> QuerySet:
    """Lines that count in a roll-up (models.ACTIVE_LINE), as of the date."""
    return lines_as_of(lines.active(), as_of)


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
