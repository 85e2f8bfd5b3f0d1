"""Running a job in this process: claimed once, progress, how it ends (done with its file,
failed with a sentence, given up), and the reaper."""

import datetime
import logging

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.imports.test_imports import lines_of
from tests.jobs.helpers import report_job, run_queued
from tracker import services
from tracker.jobs import running
from tracker.jobs.models import Job
from tracker.jobs.running import JobFailed, run_job
from tracker.jobs.services import jobs_reap
from tracker.models import StatusUpdate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_here")]


def a_job(user, **fields) -> Job:
    return Job.objects.create(kind="test", title="A test job", requester=user, **fields)


def state(job):
    job.refresh_from_db()
    return job.state, job.step, job.percent, job.error


def test_a_report_job_is_queued_by_name_and_ends_done_with_its_file(
    requester, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_job(requester, "docx", "theme=labour")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "tracker.reports.background.progress_report_make"
    assert queued.args_kwargs == {"args": [job.pk], "kwargs": {}}
    job.refresh_from_db()
    assert (job.state, job.task_id) == (Job.State.QUEUED, str(queued.id))

    assert run_queued() == 1
    job.refresh_from_db()
    assert (job.state, job.percent, job.error) == (Job.State.DONE, 100, "")
    assert job.result_name == "progress-2014-10-03-labour.docx"
    with job.result_file.open("rb") as stored:
        assert stored.read(2) == b"PK"  # a .docx is a zip
    assert job.keep_until == job.finished_at + datetime.timedelta(days=7)
    assert job.worker.endswith(f":{__import__('os').getpid()}")


def test_progress_is_written_as_the_work_goes_at_most_once_a_second_per_step(requester):
    job = a_job(requester)
    seen = []

    def work(run):
        run.progress("Reading", 10)
        seen.append(state(job)[1:3])
        run.progress("Reading", 20)  # the same step within a second: not written again
        seen.append(state(job)[1:3])
        run.progress("Writing", 150)  # a new step: written, at most 99 until done
        seen.append(state(job)[1:3])

    run_job(job.pk, work)
    assert seen == [("Reading", 10), ("Reading", 10), ("Writing", 99)]
    assert state(job) == (Job.State.DONE, "", 100, "")


def test_a_job_delivered_twice_runs_once(requester, caplog):
    job = a_job(requester)
    calls = []
    run_job(job.pk, calls.append)
    with caplog.at_level(logging.WARNING, logger="tracker.jobs.running"):
        run_job(job.pk, calls.append)
    assert len(calls) == 1
    assert "not waiting to start" in caplog.text


def test_a_failed_job_shows_its_sentence_and_keeps_no_file(requester):
    job = a_job(requester)

    def work(run):
        raise JobFailed("The filters are no longer valid.", result={"why": "filters"})

    run_job(job.pk, work)
    job.refresh_from_db()
    assert (job.state, job.error, job.result) == (
        Job.State.FAILED, "The filters are no longer valid.", {"why": "filters"},
    )  # fmt: skip
    assert not job.result_file
    assert job.keep_until == job.finished_at + datetime.timedelta(days=7)


def test_an_unexpected_error_reaches_the_engine_and_the_requester_reads_a_sentence(requester):
    job = a_job(requester)

    def work(run):
        raise ValueError("column 'secret' of relation does not exist")

    with pytest.raises(ValueError, match="secret"):  # the engine records the traceback
        run_job(job.pk, work)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert f"tell an administrator (job {job.pk})" in job.error
    assert "secret" not in job.error


def test_done_inside_a_transaction_that_rolls_back_is_not_done(requester):
    job = a_job(requester)

    def work(run):
        with transaction.atomic():
            run.finish(result={"recorded": 3})
            raise RuntimeError("the last row failed")

    with pytest.raises(RuntimeError):
        run_job(job.pk, work)
    job.refresh_from_db()
    assert (job.state, job.result) == (Job.State.FAILED, {})


def test_a_job_given_up_while_running_undoes_its_work(requester, loaded_report):
    """The reaper took the job as stopped: finishing it fails, and its transaction with it."""
    job = a_job(requester)
    line = lines_of("civil-society", 1)[0]

    def work(run):
        # The reaper's write, committed meanwhile (another connection in real life).
        Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, error="stopped")
        with transaction.atomic():
            services.status_update_record(
                line_id=line.pk, user=requester, status="planned", note="Planned.",
                effective_date=datetime.date(2020, 1, 1), evidence_links=[], seen_version=0,
            )  # fmt: skip
            assert StatusUpdate.objects.count() == 1
            run.finish()

    run_job(job.pk, work)
    assert StatusUpdate.objects.count() == 0
    assert state(job)[0::3] == (Job.State.FAILED, "stopped")


def test_a_stored_file_is_removed_when_its_job_was_given_up(requester):
    job = a_job(requester)
    storage = Job._meta.get_field("result_file").storage

    def work(run):
        Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED)
        run.finish_with_file(lambda out: out.write(b"data"), "report.pdf", "application/pdf")

    run_job(job.pk, work)
    assert state(job)[0] == Job.State.FAILED
    assert not storage.exists(f"jobs/{job.pk}/report.pdf")


@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "sqlite",
    reason="PostgreSQL writes it through the second connection: tests/jobs/test_progress.py",
)
def test_on_sqlite_progress_inside_the_jobs_transaction_waits_for_its_end(requester, monkeypatch):
    """SQLite has one writer at a time and the job holds the lock: progress through another
    connection would wait for the job itself. It is left for the transaction's end."""
    monkeypatch.setattr(running, "PROGRESS_DATABASE", "jobs")  # as in production
    job = a_job(requester)

    def work(run):
        run.progress("Checking", 2)
        with transaction.atomic():
            run.progress("Recording", 50)  # returns at once, writes nothing
            assert state(job)[1:3] == ("Checking", 2)

    run_job(job.pk, work)
    assert state(job)[0] == Job.State.DONE


def test_the_reaper_fails_running_jobs_whose_heartbeat_stopped(requester, settings):
    settings.JOB_HEARTBEAT_SECONDS = 60
    now = timezone.now()
    ago = lambda seconds: now - datetime.timedelta(seconds=seconds)  # noqa: E731
    silent = a_job(requester, state=Job.State.RUNNING, heartbeat_at=ago(61), step="Recording")
    beating = a_job(requester, state=Job.State.RUNNING, heartbeat_at=ago(59))
    waiting = a_job(requester, state=Job.State.QUEUED, created_at=ago(3600))
    done = a_job(requester, state=Job.State.DONE, heartbeat_at=ago(3600))

    assert jobs_reap(now) == [silent.pk]
    assert state(silent)[0:2] == (Job.State.FAILED, "")
    assert "stopped before it finished" in silent.error
    assert "Nothing was kept" in silent.error
    assert silent.keep_until == now + datetime.timedelta(days=7)
    for job, expected in [(beating, "running"), (waiting, "queued"), (done, "done")]:
        assert state(job)[0] == expected
    assert jobs_reap(now) == []
