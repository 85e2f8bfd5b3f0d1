"""The demo's synthetic follow-up history (`manage.py demo_history`, only with settings.DEMO
on, into the demo's own database): a few dozen recommendations across the four themes,
their lines and a few Member States' lines added by a coordinator, each line with a
plausible story (not started, planned, in progress... from October 2013 to recent months),
notes and evidence links (tracker.demo.notes), target dates, a few lines overdue, a few
stale, and one correction; most notes published and the public site on (publishing.py).

Everything is written through tracker.services and tracker.accounts.services, as the app
writes it. One thing only the demo does: it records as if the tracker had been used since
2013. Each update is recorded with the clock (django.utils.timezone.now) set to when the
story has it recorded, a few days after it took effect (status updates are append-only,
in the database too: their time is set as they are written, never after); the lines'
creation times are then set back to the hearings, or to the date an added line is
followed since. The dashboard's recent updates and stale lines depend on those times.
The app itself always records the present time.

Deterministic: a fixed random seed, so the same lines get the same stories at every run;
dates are placed relative to today (recent months stay recent). A second run adds nothing.
"""

import datetime
import random
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hearings.models import Actor, Recommendation
from tracker import services
from tracker.accounts.roles import ensure_role_groups
from tracker.accounts.services import AccountData, account_save
from tracker.models import (
    HEARINGS_DATE,
    FollowUpLine,
    Profile,
    Role,
    Status,
    StatusUpdate,
    overdue_condition,
    stale_condition,
)
from tracker.selectors import stale_since

from . import notes as words
from . import publishing

SEED = 20131003
FIRST_UPDATES = (datetime.date(2013, 10, 1), datetime.date(2014, 9, 15))
# The recommendations followed, in report order: about eight per theme.
RECOMMENDATIONS = [
    "R8.1", "R17.2", "R24.1", "R25.2",  # governance
    "R27.2", "R28.2", "R30.2", "R30a", "R30b", "R30.3", "R31.1", "R31.3",  # labour
    "R33.1", "R34.1", "R36.1", "R37.2", "R38.2", "R39.2", "R40.2", "R41.2", "R43.1",  # rights
    "R46.1", "R48.2", "R48.5", "R49.2", "R50.1", "R50.2", "R52.2", "R52.5",  # diaspora
    "R53.1", "R55.3", "R55.4", "R56.1",  # governance
]  # fmt: skip
# Recommendations to Governments on which a coordinator follows some Member States too.
MEMBER_STATE_LINES = {"R30a": 3, "R33.1": 2, "R37.2": 2, "R48.2": 2, "R50.1": 2, "R52.2": 2}
# Who records: (user name, last name, role, actor keys); the coordinator records the rest.
COORDINATOR = "demo-coordinator"
RECORDERS = [
    (COORDINATOR, "Coordinator", Role.COORDINATOR, []),
    ("demo-focal-civil-society", "Focal point (civil society)", Role.FOCAL_POINT,
     ["civil-society"]),
    ("demo-focal-un", "Focal point (UN system)", Role.FOCAL_POINT, ["un-system", "gmg"]),
    ("demo-focal-private-sector", "Focal point (private sector)", Role.FOCAL_POINT,
     ["employers", "private-sector"]),
]  # fmt: skip
USERNAMES = [username for username, *_rest in RECORDERS]

NS, PL, IP = Status.NOT_STARTED, Status.PLANNED, Status.IN_PROGRESS
PI, IM = Status.PARTIALLY_IMPLEMENTED, Status.IMPLEMENTED


@dataclass(frozen=True)
class Story:
    """A line's history: its statuses in order; when the last one is (recent, stale: longer
    ago than STALE_AFTER_DAYS, closed: whenever); its target date (met, future, overdue);
    and, for the correction, the update recorded by mistake (the next one corrects it)."""

    statuses: tuple = ()
    ends: str = ""
    target: str | None = None
    wrong: int | None = None


STORIES = {
    "implemented": Story((NS, PL, IP, PI, IM), "closed", "met"),
    "implemented-quickly": Story((PL, IP, IM), "closed"),
    "in-progress": Story((NS, PL, IP), "recent", "future"),
    "partially-implemented": Story((PL, IP, PI), "recent", "future"),
    "planned": Story((NS, PL), "recent", "future"),
    "not-started": Story((NS, NS), "recent", "future"),  # accepted, asked again, not begun
    "overdue": Story((NS, PL, IP), "recent", "overdue"),
    "stale": Story((NS, PL), "stale"),
    "stale-overdue": Story((PL, IP), "stale", "overdue"),
    "declined": Story((NS, Status.WILL_NOT_BE_IMPLEMENTED), "closed"),
    "overtaken": Story((PL, IP, Status.NO_LONGER_RELEVANT), "closed"),
    "corrected": Story((NS, PL, IM, IP, PI), "recent", "future", wrong=2),
    "silent": Story(),  # nothing reported since the hearings: no information, and stale
}
# Every demo has these stories; the other lines take FILL in turn; then the deck is shuffled.
SPECIAL = ["overdue"] * 3 + ["stale"] * 2 + ["stale-overdue", "corrected"] + \
    ["declined"] * 2 + ["overtaken"] * 2 + ["not-started"] * 2 + ["silent"] * 3  # fmt: skip
FILL = ["in-progress", "implemented", "partially-implemented", "in-progress", "implemented",
        "partially-implemented", "planned", "implemented-quickly"]  # fmt: skip


class DemoRefused(Exception):
    """The demo history cannot go into this database; the message says why."""


@dataclass
class Made:
    """What one run recorded."""

    recommendations: int
    lines: int
    added_lines: int
    updates: int
    corrections: int
    published: int
    target_dates: int
    overdue: int
    stale: int
    first: datetime.date | None
    last: datetime.date | None

    def __str__(self):
        return (
            f"Demo history: {self.recommendations} recommendations, {self.lines} follow-up "
            f"lines ({self.added_lines} Member States' lines added by a coordinator), "
            f"{self.updates} status updates (corrections: {self.corrections}) effective from "
            f"{self.first} to {self.last}; {self.target_dates} target dates, {self.overdue} "
            f"lines overdue, {self.stale} stale. {self.published} notes published; the public "
            "site is on, one line kept out of public view."
        )


def _recorders() -> dict[str, object]:
    """The demo's own accounts, with passwords nobody knows: the history's authors."""
    User = get_user_model()
    coordinator, created = User.objects.get_or_create(
        username=COORDINATOR,
        defaults={"first_name": "Demo", "last_name": "Coordinator", "is_staff": True,
                  "email": f"{COORDINATOR}@example.org"},
    )  # fmt: skip
    if created:
        coordinator.set_unusable_password()
        coordinator.save()
    Profile.objects.update_or_create(user=coordinator, defaults={"role": Role.COORDINATOR})
    coordinator.groups.set([ensure_role_groups()[Role.COORDINATOR]])
    users = {COORDINATOR: coordinator}
    for username, last_name, role, actor_keys in RECORDERS[1:]:
        users[username] = account_save(
            user=coordinator,
            account=User.objects.filter(username=username).first(),
            data=AccountData(
                username=username,
                email=f"{username}@example.org",
                first_name="Demo",
                last_name=last_name,
                role=role,
                actors=list(Actor.objects.filter(key__in=actor_keys)),
            ),
        )
    return users


def _lines(recs, rng, coordinator) -> tuple[list[FollowUpLine], int]:
    """The catalogue's lines of these recommendations, then the Member States' lines a
    coordinator adds (followed since a date in 2014-2016); and how many were added."""
    lines = list(
        FollowUpLine.objects.filter(recommendation__in=recs.values())
        .active()
        .select_related("actor", "recommendation__theme")
        .order_by("recommendation__position", "actor__key")
    )
    states = sorted(Actor.objects.filter(kind="member-state"), key=lambda a: a.key)
    taken = {(line.recommendation_id, line.actor_id) for line in lines}
    pool = rng.sample(states, sum(MEMBER_STATE_LINES.values()))
    added = 0
    for code, count in MEMBER_STATE_LINES.items():
        rec = recs.get(code)
        for state in [pool.pop() for _n in range(count)]:
            if rec is None or (rec.pk, state.pk) in taken:
                continue
            since = datetime.date(2014, 1, 6) + datetime.timedelta(days=rng.randint(0, 900))
            line = services.line_add(
                recommendation=rec, actor=state, user=coordinator, followed_since=since
            )
            lines.append(
                FollowUpLine.objects.select_related("actor", "recommendation__theme").get(
                    pk=line.pk
                )
            )
            added += 1
    return lines, added


def _deck(count: int, rng) -> list[Story]:
    names = SPECIAL[:count] + [FILL[i % len(FILL)] for i in range(max(0, count - len(SPECIAL)))]
    rng.shuffle(names)
    return [STORIES[name] for name in names]


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def quarter_end(day: datetime.date) -> datetime.date:
    """The last day of the quarter `day` is in."""
    month = (day.month - 1) // 3 * 3 + 3
    return datetime.date(day.year + month // 12, month % 12 + 1, 1) - _days(1)


@contextmanager
def _clock(at: datetime.datetime):
    """timezone.now() is `at` meanwhile: the time the services record an update at."""
    with mock.patch.object(timezone, "now", return_value=at):
        yield


class _Writer:
    """Records each line's story through the services, each update at the time the story
    has it recorded."""

    def __init__(self, rng, users, today, now):
        # Two streams: `rng` decides what is recorded (stories, notes, links, targets), `when`
        # the dates: so what is made is the same whatever day it is made on.
        self.rng, self.when = rng, random.Random(SEED + 1)  # noqa: S311 (a fixed seed)
        self.users, self.today, self.now = users, today, now
        self.stale_days = settings.STALE_AFTER_DAYS
        self.updates: list[StatusUpdate] = []
        self.corrections = 0
        # A third stream: which notes are published (tracker.demo.publishing).
        self.publishing = random.Random(SEED + 2)  # noqa: S311 (a fixed seed)
        self.published = 0
        self.by_actor = {key: users[name] for name, _l, _r, keys in RECORDERS for key in keys}

    def _end(self, story: Story, start: datetime.date) -> datetime.date:
        when, today = self.when, self.today
        if story.ends == "recent":
            return today - _days(when.randint(15, max(16, min(150, self.stale_days * 2 // 3))))
        if story.ends == "stale":
            return today - _days(when.randint(self.stale_days + 45, self.stale_days + 1100))
        return min(start + _days(when.randint(900, 3600)), today - _days(30))

    def _dates(self, story: Story, start: datetime.date) -> list[datetime.date]:
        """One effective date per update (the correction shares the wrong update's)."""
        count = len(story.statuses) - (story.wrong is not None)
        end = max(self._end(story, start), start + _days(30 * count))
        # Front-loaded: most follow-up happened in the first years after the Dialogue.
        span, offsets = (end - start).days, set()
        while len(offsets) < count - 2:
            offsets.add(1 + int(self.when.random() ** 2 * (span - 2)))
        offsets = sorted(offsets)
        dates = [start, *(start + _days(n) for n in offsets), end][-count:]
        if story.wrong is not None:
            dates.insert(story.wrong + 1, dates[story.wrong])
        return dates

    def _recorded(self, on: datetime.date, after: datetime.datetime) -> datetime.datetime:
        """A working hour a few days after the date, later than `after`, not in the future."""
        at = datetime.datetime.combine(on, datetime.time(8), tzinfo=datetime.UTC)
        at += datetime.timedelta(days=self.when.randint(0, 14), minutes=self.when.randint(0, 540))
        return min(max(at, after + datetime.timedelta(hours=1)), self.now)

    def _links(self, line, status, on) -> list[str]:
        rng, kind = self.rng, words.EVIDENCE_KINDS[status]
        chance = {NS: 0.1, PL: 0.35}.get(status, 0.55)
        if rng.random() >= chance:
            return []
        links = [words.evidence_link(line.actor.key, line.recommendation.code, on, kind)]
        if kind != "meeting-summary" and rng.random() < 0.25:
            links.append(
                words.evidence_link(line.actor.key, line.recommendation.code, on, "meeting-summary")
            )
        return links

    def line(self, line: FollowUpLine, story: Story) -> None:
        rng = self.rng
        statuses = list(story.statuses)
        if IP in statuses and story.wrong is None and rng.random() < 0.35:
            statuses.insert(statuses.index(IP), IP)  # a progress report on the way
        story = Story(tuple(statuses), story.ends, story.target, story.wrong)
        topic = rng.choice(words.TOPICS[line.recommendation.theme.key])
        created = max(line.followed_since, HEARINGS_DATE)
        line.created_at = datetime.datetime.combine(created, datetime.time(7), datetime.UTC)
        if not statuses:
            return
        if line.added_by_id is None:  # from the catalogue: a first update within a year
            first, last = FIRST_UPDATES
            start = first + _days(self.when.randint(0, (last - first).days))
        else:  # added by a coordinator: soon after the date it is followed since
            start = line.followed_since + _days(self.when.randint(0, 60))
        dates = self._dates(story, start)
        user = self.by_actor.get(line.actor.key, self.users[COORDINATOR])
        recorded, wrong, used = line.created_at, None, set()
        for index, (status, on) in enumerate(zip(statuses, dates, strict=True)):
            correcting = story.wrong is not None and index == story.wrong + 1
            if correcting:  # recorded a few days after the update it corrects
                note = words.CORRECTION.format(date=on.isoformat(), topic=topic)
                recorded += datetime.timedelta(days=self.when.randint(2, 10))
            else:
                variants = [t for t in words.NOTES[status] if t not in used] or words.NOTES[status]
                used.add(template := rng.choice(variants))
                note = template.format(topic=topic)
            recorded = self._recorded(on, recorded)
            publish = publishing.note_published(
                self.publishing, status, by_mistake=story.wrong == index
            )
            with _clock(recorded):
                update = services.status_update_record(
                    line_id=line.pk,
                    user=user,
                    status=status,
                    note=note,
                    effective_date=on,
                    evidence_links=self._links(line, status, on),
                    seen_version=index,
                    corrects=wrong if correcting else None,
                    refresh_progress=False,
                    publish=publish,
                )
            self.updates.append(update)
            self.published += publish
            if story.wrong == index:
                wrong = update
            self.corrections += correcting
        self._target(line, story, dates[-1])

    def _target(self, line, story: Story, last: datetime.date) -> None:
        when, today = self.when, self.today
        if story.target == "met":
            target = quarter_end(last + _days(when.randint(-150, 90)))
        elif story.target == "overdue":
            target = quarter_end(today - _days(when.randint(130, 560)))
        elif story.target == "future" and self.rng.random() < 0.7:
            target = quarter_end(today + _days(when.randint(60, 1400)))
        else:
            return
        services.line_set_target_date(line=line, user=self.users[COORDINATOR], target_date=target)


@transaction.atomic
def history_record() -> Made | None:
    """Record the demo history; None if this database has it already (nothing added)."""
    if StatusUpdate.objects.filter(recorded_by__username__in=USERNAMES).exists():
        return None
    if StatusUpdate.objects.exists():
        raise DemoRefused(
            "This database already has a follow-up history of its own: the demo history goes "
            "into a fresh demo database only (delete demo.sqlite3 and run `make demo`)."
        )
    recs = {rec.code: rec for rec in Recommendation.objects.main().filter(code__in=RECOMMENDATIONS)}
    if not recs:
        raise DemoRefused("Load the report first (`manage.py load_report`): no recommendations.")
    rng = random.Random(SEED)  # noqa: S311 - a fixed seed: the same demo at every run
    users = _recorders()
    lines, added = _lines(recs, rng, users[COORDINATOR])
    writer = _Writer(rng, users, timezone.localdate(), timezone.now())
    for line, story in zip(lines, _deck(len(lines), rng), strict=True):
        writer.line(line, story)
    services.progress_refresh(rec.pk for rec in recs.values())
    publishing.site_open(users[COORDINATOR], lines)
    # When each line was created, as the story has it (see the module's docstring).
    FollowUpLine.objects.bulk_update(lines, ["created_at"])

    ours = FollowUpLine.objects.filter(pk__in=[line.pk for line in lines])
    effective = [update.effective_date for update in writer.updates]
    return Made(
        recommendations=len(recs),
        lines=len(lines),
        added_lines=added,
        updates=len(writer.updates),
        corrections=writer.corrections,
        published=writer.published,
        target_dates=ours.filter(target_date__isnull=False).count(),
        overdue=ours.filter(overdue_condition(timezone.localdate())).count(),
        stale=ours.filter(stale_condition(stale_since())).count(),
        first=min(effective, default=None),
        last=max(effective, default=None),
    )
