"""The schedule (JOBS_SCHEDULE): entries read or refused clearly, the occurrence due, and
each occurrence run once, however many runners, two of them at the same moment included."""

import datetime
import re
import zoneinfo

import pytest
from django.core.management import call_command

from tests.jobs import scheduled
from tests.jobs.workers import process_env, started
from tracker.jobs.checks import schedule_check
from tracker.jobs.models import ScheduleRun
from tracker.jobs.schedule import Entry, ScheduleError, parse, run_due

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
COUNT = ("count", "tests.jobs.scheduled.count_run", "daily 07:30")


def at(*args):
    return datetime.datetime(*args, tzinfo=ZURICH)


def test_entries_are_daily_or_weekly_at_a_time():
    assert parse(COUNT) == Entry("count", "tests.jobs.scheduled.count_run",
                                 datetime.time(7, 30))  # fmt: skip
    assert parse(("r", "a.b", "Weekly Monday 06:00")).weekday == 0


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (("r", "a.b"), "is not (name, dotted path, when)"),
        (("r", "a.b", "hourly"), "neither 'daily HH:MM' nor 'weekly <weekday> HH:MM'"),
        (("r", "a.b", "weekly someday 06:00"), "neither 'daily HH:MM'"),
        (("r", "a.b", "daily 25:00"), "'25:00' is not a time of day"),
    ],
)
def test_an_entry_that_cannot_be_read_says_why(item, message):
    with pytest.raises(ScheduleError, match=re.escape(message)):
        parse(item)


def test_the_occurrence_due_is_the_latest_at_or_before_now_in_time_zone(settings):
    settings.TIME_ZONE = "Europe/Zurich"
    daily = parse(COUNT)
    assert daily.latest_due(at(2026, 3, 2, 7, 30)) == at(2026, 3, 2, 7, 30)
    assert daily.latest_due(at(2026, 3, 2, 7, 29)) == at(2026, 3, 1, 7, 30)
    # 06:45 UTC is 07:45 in Zurich in winter.
    utc = datetime.datetime(2026, 3, 2, 6, 45, tzinfo=datetime.UTC)
    assert daily.latest_due(utc) == at(2026, 3, 2, 7, 30)
    weekly = parse(("r", "a.b", "weekly monday 06:00"))  # 2 March 2026 is a Monday
    assert weekly.latest_due(at(2026, 3, 2, 6, 0)) == at(2026, 3, 2, 6, 0)
    assert weekly.latest_due(at(2026, 3, 2, 5, 59)) == at(2026, 2, 23, 6, 0)
    assert weekly.latest_due(at(2026, 3, 8, 23, 0)) == at(2026, 3, 2, 6, 0)


@pytest.mark.django_db
def test_each_occurrence_runs_once_with_its_date_and_the_next_one_again(settings, monkeypatch):
    settings.TIME_ZONE = "Europe/Zurich"
    settings.JOBS_SCHEDULE = [COUNT]
    monkeypatch.setattr(scheduled, "calls", [])
    assert run_due(at(2026, 3, 2, 8, 0)) == ["count"]
    assert run_due(at(2026, 3, 2, 23, 0)) == []
    assert run_due(at(2026, 3, 3, 7, 0)) == []  # still the 2nd's occurrence
    assert run_due(at(2026, 3, 3, 7, 30)) == ["count"]
    assert scheduled.calls == [datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)]
    runs = list(ScheduleRun.objects.order_by("due_at"))
    assert [(r.entry, r.due_at, r.error) for r in runs] == [
        ("count", at(2026, 3, 2, 7, 30), ""), ("count", at(2026, 3, 3, 7, 30), ""),
    ]  # fmt: skip
    assert all(r.finished_at for r in runs)


@pytest.mark.django_db
def test_a_failing_entry_is_recorded_and_the_others_still_run(settings, monkeypatch):
    settings.JOBS_SCHEDULE = [("fail", "tests.jobs.scheduled.fail", "daily 00:00"), COUNT]
    monkeypatch.setattr(scheduled, "calls", [])
    now = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
    assert run_due(now) == ["fail", "count"]
    failed = ScheduleRun.objects.get(entry="fail")
    assert failed.error == "RuntimeError: nothing to send on 2026-03-02"
    assert failed.finished_at
    assert len(scheduled.calls) == 1
    assert run_due(now) == []  # a failed occurrence is not run again


def test_the_system_check_names_each_broken_entry(settings):
    settings.JOBS_SCHEDULE = [
        COUNT, ("count", "tests.jobs.scheduled.fail", "daily 01:00"),
        ("gone", "tests.jobs.scheduled.no_such_thing", "daily 01:00"),
        ("typo", "tests.jobs.scheduled.fail", "dialy 01:00"),
    ]  # fmt: skip
    errors = schedule_check()
    assert [e.id for e in errors] == ["jobs.E002", "jobs.E001", "jobs.E001"]
    assert "count twice" in errors[0].msg
    assert "no_such_thing" in errors[1].msg
    assert "'dialy 01:00' is neither" in errors[2].msg


def test_the_project_schedule_starts_with_the_cleanup_and_passes_its_check(settings):
    assert settings.JOBS_SCHEDULE[0][1] == "tracker.jobs.cleanup.job_results_remove"
    assert schedule_check() == []


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_the_same_moment_run_an_occurrence_once(tmp_path):
    runs = tmp_path / "runs"
    env = process_env(tmp_path / "media", RUNS_FILE=str(runs),
                      DJANGO_SETTINGS_MODULE="tests.jobs.schedule_settings")  # fmt: skip
    runners = [started(["manage.py", "run_schedule", "--once"], env, tmp_path / f"{n}.log")
               for n in range(2)]  # fmt: skip
    with runners[0] as first, runners[1] as second:
        assert first.wait(timeout=60) == 0, (tmp_path / "0.log").read_text()
        assert second.wait(timeout=60) == 0, (tmp_path / "1.log").read_text()
    assert len(runs.read_text().splitlines()) == 1
    assert ScheduleRun.objects.filter(entry="count").count() == 1
    assert ScheduleRun.objects.filter(entry="job-results-cleanup").count() == 1
    call_command("run_schedule", "--once")  # a third runner, later: nothing left to run
    ran = ScheduleRun.objects.filter(entry__in=["count", "job-results-cleanup"])
    assert ran.count() == 2


@pytest.mark.django_db
def test_scheduled_runs_are_read_only_in_the_admin(client, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", password="a-long-password")
    ScheduleRun.objects.create(entry="count", due_at=at(2026, 3, 2, 7, 30), error="Boom")
    client.force_login(admin_user)
    page = client.get("/admin/jobs/schedulerun/")
    assert page.status_code == 200
    assert "Boom" in page.content.decode()
    assert client.get("/admin/jobs/schedulerun/add/").status_code == 403
    assert client.get("/admin/jobs/job/").status_code == 404  # jobs are their requesters'
