"""The app's own schedule (the Tasks API schedules nothing). settings.JOBS_SCHEDULE lists
entries as (name, dotted path of a callable, when), when being "daily HH:MM" or
"weekly <weekday> HH:MM" in TIME_ZONE. The callable is called with the date of the
occurrence it runs for (a run that starts late does that day's work).

Every runner (each `manage.py jobs_worker`, or `manage.py run_schedule`) looks for what
is due: the latest occurrence of each entry at or before now. The first runner to insert
the ScheduleRun for that (entry, occurrence) runs it; the others' inserts fail on the
unique constraint, so however many runners there are, each occurrence runs once. A run
that crashed half-way is not run again: its row shows that it never finished.
"""

import datetime
import logging
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduleRun
from .running import worker_name

logger = logging.getLogger(__name__)

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class ScheduleError(ValueError):
    """An entry of JOBS_SCHEDULE that cannot be read; the message says which and why."""


@dataclass(frozen=True)
class Entry:
    name: str
    path: str
    at: datetime.time
    weekday: int | None = None  # None: every day

    def latest_due(self, now: datetime.datetime) -> datetime.datetime:
        """The latest occurrence at or before `now` (aware, in TIME_ZONE)."""
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        local = now.astimezone(zone)
        day = local.date()
        if self.weekday is not None:
            day -= datetime.timedelta(days=(day.weekday() - self.weekday) % 7)
        due = datetime.datetime.combine(day, self.at, tzinfo=zone)
        if due > local:
            due -= datetime.timedelta(days=7 if self.weekday is not None else 1)
        return due


def parse(item) -> Entry:
    """One (name, path, when) of JOBS_SCHEDULE; ScheduleError if it cannot be read."""
    try:
        name, path, when = item
    except (TypeError, ValueError):
        raise ScheduleError(f"{item!r} is not (name, dotted path, when)") from None
    words = str(when).lower().split()
    weekday = None
    if len(words) == 3 and words[0] == "weekly" and words[1] in WEEKDAYS:
        weekday = WEEKDAYS.index(words[1])
    elif not (len(words) == 2 and words[0] == "daily"):
        raise ScheduleError(
            f"{name}: {when!r} is neither 'daily HH:MM' nor 'weekly <weekday> HH:MM'"
        )
    try:
        at = datetime.time.fromisoformat(words[-1])
    except ValueError:
        raise ScheduleError(f"{name}: {words[-1]!r} is not a time of day (HH:MM)") from None
    return Entry(str(name), str(path), at, weekday)


def entries() -> list[Entry]:
    return [parse(item) for item in settings.JOBS_SCHEDULE]


def _claim(entry: Entry, due: datetime.datetime) -> ScheduleRun | None:
    try:
        with transaction.atomic():
            return ScheduleRun.objects.create(entry=entry.name, due_at=due, worker=worker_name())
    except IntegrityError:
        return None  # another runner has it


def run_due(now: datetime.datetime | None = None) -> list[str]:
    """Run every entry whose latest occurrence no runner has claimed; returns their names."""
    now = now or timezone.now()
    ran = []
    for entry in entries():
        due = entry.latest_due(now)
        run = _claim(entry, due)
        if run is None:
            continue
        error = ""
        try:
            import_string(entry.path)(due.date())
        except Exception as exc:
            logger.exception("scheduled %s for %s failed", entry.name, due)
            error = f"{type(exc).__name__}: {exc}"[:2000]
        ScheduleRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), error=error)
        ran.append(entry.name)
    return ran
