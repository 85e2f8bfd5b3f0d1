"""The open data's rows: the public side's own selectors and serializers (never the staff
exports' rows), reading only what tracker.publication.visibility makes public.

Each resource is a function (as_of, target_dates) -> iterator of tuples in the order of
its fields (resources.py). Every list is one query read with .iterator() (a server-side
cursor on PostgreSQL, chunks on SQLite), tags and keys as correlated subqueries, so the
query count and the memory stay the same however many rows there are.

Overall status: the stored roll-up (RecommendationProgress) counts every active line,
those kept out of public view too, so it could give away a withheld line's status. The
public one is rolled up again, with tracker.rollup's rule, from the public lines only
(as of the date, if given): the recommendations and their lines are read side by side in
the same order and merged. Restatements carry their main recommendation's status, read
first for the restated ones only.
"""

import datetime
from collections.abc import Iterator

from django.db.models import CharField, F, OuterRef, QuerySet, Subquery

from hearings.models import (
    Actor,
    Addressee,
    AgendaPoint,
    GcmObjective,
    GcmTag,
    Recommendation,
    SdgTag,
    SdgTarget,
    Theme,
)
from tracker.publication import visibility
from tracker.reports.asof import lines_as_of
from tracker.rollup import roll_up
from tracker.vocabulary import Status

from .resources import LIST_SEPARATOR

CHUNK = 2000
# Report order (position, id) first, for the merge with the lines; then the fields.
RECOMMENDATION_COLUMNS = (
    "position", "id", "code", "restates_id", "restates__code", "paragraph__number",
    "paragraph__chapter__numeral", "item", "title", "text", "theme__key",
    "agenda_keys", "gcm_keys", "sdg_keys", "addressee_keys",
)  # fmt: skip


class Keys(Subquery):
    """The values of a correlated subquery's one column `k`, in its order, as one text
    separated by single spaces ('' for none): a list of keys in one cell, in one query."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = f"array_to_string(ARRAY(%(subquery)s), '{LIST_SEPARATOR}')"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = (
            f"COALESCE((SELECT group_concat(k, '{LIST_SEPARATOR}') "  # noqa: S608 - no input
            "FROM (%(subquery)s)), '')"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _keys(text: str) -> list[str]:
    return text.split(LIST_SEPARATOR) if text else []


def line_states(as_of: datetime.date | None) -> QuerySet:
    """Public lines, annotated `state` and `since`: the status and its effective date now,
    or as of the date by tracker.reports.asof's rule (the lines that existed then)."""
    lines = visibility.lines()
    if as_of is None:
        return lines.annotate(state=F("status"), since=F("status_since"))
    return lines_as_of(lines, as_of).annotate(state=F("asof_status"), since=F("asof_since"))


def _restated_statuses(as_of) -> dict[int, Status]:
    """{main recommendation id: public overall status} for the mains public restatements
    restate (a few: restatements are the report's key findings, opening and conclusion)."""
    restated = visibility.recommendations().filter(restates__isnull=False).values("restates_id")
    found: dict[int, list[str]] = {}
    rows = line_states(as_of).filter(recommendation_id__in=restated)
    for rec_id, state in rows.order_by().values_list("recommendation_id", "state"):
        found.setdefault(rec_id, []).append(state)
    return {rec_id: roll_up(states) for rec_id, states in found.items()}


def _line_statuses_in_report_order(as_of) -> Iterator[tuple[tuple[int, int], str]]:
    rows = (
        line_states(as_of)
        .order_by("recommendation__position", "recommendation_id")
        .values_list("recommendation__position", "recommendation_id", "state")
    )
    for position, rec_id, state in rows.iterator(chunk_size=CHUNK):
        yield (position, rec_id), state


def recommendations(as_of, target_dates) -> Iterator[tuple]:
    agenda = (
        Recommendation.agenda_points.through.objects.filter(recommendation_id=OuterRef("pk"))
        .order_by("agendapoint__number")
        .values(k=F("agendapoint__key"))
    )
    gcm = (
        GcmTag.objects.filter(recommendation_id=OuterRef("pk"))
        .order_by("objective__number")
        .values(k=F("objective__key"))
    )
    sdg = (
        SdgTag.objects.filter(recommendation_id=OuterRef("pk"))
        .order_by("target__position")
        .values(k=F("target__key"))
    )
    # The actor's key by its primary key, row by row: a join let PostgreSQL hash all
    # 227 actors again for every recommendation (a tenth of a millisecond each).
    actor_key = Actor.objects.filter(pk=OuterRef("actor_id")).order_by().values("key")[:1]
    addressees = (
        Addressee.objects.filter(recommendation_id=OuterRef("pk"))
        .annotate(k=Subquery(actor_key))
        .order_by("k")
        .values("k")
    )
    restated = _restated_statuses(as_of)
    rows = (
        visibility.recommendations()
        .order_by("position", "id")
        .annotate(
            agenda_keys=Keys(agenda),
            gcm_keys=Keys(gcm),
            sdg_keys=Keys(sdg),
            addressee_keys=Keys(addressees),
        )
        .values_list(*RECOMMENDATION_COLUMNS)
    )
    lines = _line_statuses_in_report_order(as_of)
    pending = next(lines, None)
    for position, rec_id, code, restates_id, restates, *cells, ag, gc, sd, ad in rows.iterator(
        chunk_size=CHUNK
    ):
        key = (position, rec_id)
        states = []
        while pending is not None and pending[0] <= key:
            if pending[0] == key:
                states.append(pending[1])
            pending = next(lines, None)
        if restates_id is None:
            status = roll_up(states)
        else:
            status = restated.get(restates_id, Status.NO_INFORMATION)
        yield (
            code, restates, *cells, _keys(ag), _keys(gc), _keys(sd), _keys(ad), str(status),
        )  # fmt: skip


def lines(as_of, target_dates) -> Iterator[tuple]:
    columns = ["recommendation__code", "actor__key", "state", "since"]
    if target_dates:
        columns.append("target_date")
    rows = (
        line_states(as_of)
        .order_by("recommendation__position", "recommendation_id", "actor__key")
        .values_list(*columns)
    )
    yield from rows.iterator(chunk_size=CHUNK)


def updates(as_of, target_dates) -> Iterator[tuple]:
    published = visibility.published_updates()
    if as_of is not None:
        published = published.filter(effective_date__lte=as_of)
    rows = published.order_by("id").values_list(
        "id", "line__recommendation__code", "line__actor__key", "status", "effective_date",
        "note", "evidence_links", "publication__published_at",
    )  # fmt: skip
    for *cells, links, published_at in rows.iterator(chunk_size=CHUNK):
        yield (*cells, [str(link) for link in links or []], published_at)


def actors(as_of, target_dates) -> Iterator[tuple]:
    groups = (
        Actor.groups.through.objects.filter(from_actor_id=OuterRef("pk"))
        .order_by("to_actor__key")
        .values(k=F("to_actor__key"))
    )
    rows = (
        Actor.objects.order_by("key")
        .annotate(group_keys=Keys(groups))
        .values_list("key", "name", "short_name", "kind", "group_keys")
    )
    for *cells, group_keys in rows.iterator(chunk_size=CHUNK):
        yield (*cells, _keys(group_keys))


def themes(as_of, target_dates) -> Iterator[tuple]:
    rows = Theme.objects.order_by("number").values_list(
        "key", "number", "title", "chapter__numeral"
    )
    yield from rows.iterator(chunk_size=CHUNK)


def agenda_points(as_of, target_dates) -> Iterator[tuple]:
    rows = AgendaPoint.objects.order_by("number").values_list(
        "key", "number", "title", "theme__key"
    )
    yield from rows.iterator(chunk_size=CHUNK)


def gcm_objectives(as_of, target_dates) -> Iterator[tuple]:
    rows = GcmObjective.objects.order_by("number").values_list(
        "key", "number", "title", "short_title"
    )
    yield from rows.iterator(chunk_size=CHUNK)


def sdg_targets(as_of, target_dates) -> Iterator[tuple]:
    rows = SdgTarget.objects.order_by("position").values_list(
        "key", "code", "goal", "title", "short_title"
    )
    yield from rows.iterator(chunk_size=CHUNK)


ROWS = {
    "recommendations": recommendations,
    "lines": lines,
    "updates": updates,
    "actors": actors,
    "themes": themes,
    "agenda-points": agenda_points,
    "gcm-objectives": gcm_objectives,
    "sdg-targets": sdg_targets,
}
