"""The reminders on the jobs' schedule: the entry named in JOBS_SCHEDULE sends the day's
digests once, whatever the number of runners, and a failed e-mail fails the run."""

import datetime

import pytest
from django.conf import settings

from tracker.jobs import schedule
from tracker.jobs.models import ScheduleRun

pytestmark = pytest.mark.django_db


def test_the_schedule_names_the_reminders():
    entries = {entry.name: entry for entry in schedule.entries()}
    assert entries["reminders"].path == "tracker.notifications.digests.digests_send_scheduled"
    assert ("reminders", entries["reminders"].path, "daily 07:00") in settings.JOBS_SCHEDULE


def test_the_scheduled_entry_runs_once_a_day(loaded_report, settings):
    settings.JOBS_SCHEDULE = [
        ("reminders", "tracker.notifications.digests.digests_send_scheduled", "daily 07:00")
    ]
    now = datetime.datetime(2027, 3, 1, 8, 0, tzinfo=datetime.UTC)
    assert schedule.run_due(now) == ["reminders"]
    assert schedule.run_due(now) == []  # claimed: a second runner does nothing
    run = ScheduleRun.objects.get(entry="reminders")
    assert run.finished_at is not None
    assert run.error == ""
