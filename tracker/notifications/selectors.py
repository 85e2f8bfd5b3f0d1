"""Reads for reminders and requests, each in a constant number of queries: who gets a
digest, the lines each actor's digest lists, a line's focal points, the requests shown on
a page's timelines, and the e-mails coordinators look back on."""

import datetime
import heapq
import itertools
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q

from hearings.models import Actor
from hearings.translation import columns
from tracker.models import FINAL_STATUSES, FollowUpLine, Role, overdue_condition, stale_condition

from .models import Delivery, DeliveryKind, DeliveryState, UpdateRequest

# "Due soon": a target date from today to this many days ahead (the 30 days).
DUE_WITHIN_DAYS = 30
# Lines listed per section of a digest; the rest are counted, with a link to the list.
SHOWN_PER_SECTION = 25
OVERDUE, DUE, STALE = "overdue", "due", "stale"
SECTIONS = (OVERDUE, DUE, STALE)


@dataclass(frozen=True)
class DigestLine:
    """What a digest says about one line."""

    pk: int
    code: str
    title: str
    actor: str
    status: str
    target_date: datetime.date | None
    last_recorded_at: datetime.datetime | None
    created_at: datetime.datetime

    def sort_key(self, section):
        """The order each section lists its lines in, the same as its query's."""
        if section == STALE:  # never updated first, then the longest without news
            moment = self.last_recorded_at or self.created_at
            return (self.last_recorded_at is not None, moment, self.created_at, self.pk)
        return (self.target_date, self.pk)


@dataclass
class Listed:
    """One actor's (or one person's) lines in one section: the first ones, and how many."""

    shown: list[DigestLine] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


def digest_recipients():
    """Active focal points with an e-mail address, with their profile, actors and choice
    of frequency (two queries)."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False, profile__role=Role.FOCAL_POINT)
        .exclude(email="")
        .select_related("profile", "digest_preference")
        .prefetch_related(
            Prefetch(
                "profile__actors",
                queryset=Actor.objects.only("pk", *columns("name")).order_by("name"),
            )
        )
        .order_by("pk")
    )


def digests_claimed(user_ids, periods) -> set[tuple[int, str]]:
    """(recipient, period) pairs whose digest is already claimed (one query)."""
    if not user_ids:
        return set()
    rows = Delivery.objects.filter(
        kind=DeliveryKind.DIGEST, recipient_id__in=user_ids, period__in=set(periods)
    )
    return set(rows.values_list("recipient_id", "period"))


def digest_lines(actor_ids, today: datetime.date, stale_since: datetime.datetime):
    """{actor id: {section: Listed}} for the open lines of these actors: overdue, due within
    DUE_WITHIN_DAYS, stale (nothing recorded since `stale_since`); a line is listed once,
    in the first of those that applies. Three queries, streamed: memory holds at most
    SHOWN_PER_SECTION lines per actor and section, however many lines there are."""
    horizon = today + datetime.timedelta(days=DUE_WITHIN_DAYS)
    open_lines = (
        FollowUpLine.objects.followed()
        .active()
        .filter(actor_id__in=actor_ids)
        .exclude(status__in=FINAL_STATUSES)
    )
    queries = {
        OVERDUE: open_lines.filter(overdue_condition(today)).order_by("target_date", "pk"),
        DUE: open_lines.filter(target_date__gte=today, target_date__lte=horizon).order_by(
            "target_date", "pk"
        ),
        STALE: open_lines.filter(stale_condition(stale_since))
        .exclude(target_date__lte=horizon)  # listed above (a line without one stays)
        .order_by(F("last_recorded_at").asc(nulls_first=True), "created_at", "pk"),
    }
    found: dict[int, dict[str, Listed]] = {}
    for section, query in queries.items():
        rows = query.values_list(
            "actor_id",
            "pk",
            "recommendation__code",
            "recommendation__title",
            "actor__name",
            "status",
            "target_date",
            "last_recorded_at",
            "created_at",
        )
        for actor_id, *values in rows.iterator(chunk_size=2000):
            listed = found.setdefault(actor_id, {}).setdefault(section, Listed())
            listed.total += 1
            if len(listed.shown) < SHOWN_PER_SECTION:
                listed.shown.append(DigestLine(*values))
    return found


def lines_of_person(found, actor_ids) -> dict[str, Listed]:
    """One person's sections from their actors' (digest_lines), in each section's order;
    sections with nothing in them are left out."""
    sections = {}
    for section in SECTIONS:
        parts = [found[a][section] for a in actor_ids if section in found.get(a, {})]
        if not parts:
            continue
        merged = heapq.merge(*(p.shown for p in parts), key=lambda line: line.sort_key(section))
        sections[section] = Listed(
            shown=list(itertools.islice(merged, SHOWN_PER_SECTION)),
            total=sum(p.total for p in parts),
        )
    return sections


def line_focal_points(line):
    """The people an update request on this line goes to: active focal points for exactly
    its actor (those who may record on it), with an e-mail address (one query)."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            is_superuser=False,
            profile__role=Role.FOCAL_POINT,
            profile__actors=line.actor_id,
        )
        .exclude(email="")
        .select_related("profile")
        .order_by("username")
    )


def update_requests_by_line(line_ids) -> dict[int, list[UpdateRequest]]:
    """The requests on these lines, latest first, each with who asked and how many
    e-mails about it went (one query)."""
    requests = (
        UpdateRequest.objects.filter(line_id__in=line_ids)
        .select_related("requested_by")
        .annotate(sent_count=Count("deliveries", filter=Q(deliveries__state=DeliveryState.SENT)))
        .order_by("-requested_at", "-pk")
    )
    by_line: dict[int, list[UpdateRequest]] = {}
    for request in requests:
        by_line.setdefault(request.line_id, []).append(request)
    return by_line


def deliveries():
    """Every e-mail sent or attempted, newest first, with what it was about."""
    return Delivery.objects.select_related(
        "recipient",
        "update_request__line__recommendation",
        "update_request__line__actor",
        "update_request__requested_by",
    ).order_by("-claimed_at", "-pk")
