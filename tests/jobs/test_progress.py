"""Progress seen from other connections while the job runs: written through the second
connection while the job's own transaction is open, and the heartbeat's thread."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction

from tracker.jobs.models import Job
from tracker.jobs.running import Heartbeat, JobRun


def from_another_connection(read):
    """`read()` on a thread of its own, so on a database connection of its own."""

    def on_its_own_connection():
        try:
            return read()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(on_its_own_connection).result(timeout=30)


def a_running_job() -> Job:
    user = get_user_model().objects.create_user("requester")
    return Job.objects.create(kind="test", title="T", requester=user, state=Job.State.RUNNING)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite lets one connection write at a time and the job holds that lock: its "
    "progress is written when its transaction ends (tracker/jobs/running.py)",
)
@pytest.mark.django_db(transaction=True, databases=["default", "jobs"])
def test_progress_written_inside_the_jobs_open_transaction_is_seen_by_another_connection():
    job = a_running_job()
    run = JobRun(job)
    with transaction.atomic():  # the job's own transaction, as an import's
        get_user_model().objects.create_user("written-inside")
        run.progress("Recording 5,000 status updates", 40)

        seen = from_another_connection(
            lambda: Job.objects.values_list("step", "percent").get(pk=job.pk)
        )
        assert seen == ("Recording 5,000 status updates", 40)
        # ... while what the transaction writes is not seen: it is still open.
        assert not from_another_connection(
            lambda: get_user_model().objects.filter(username="written-inside").exists()
        )
    assert get_user_model().objects.filter(username="written-inside").exists()


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_beats_from_its_own_thread_until_stopped(settings):
    settings.JOB_HEARTBEAT_SECONDS = 1  # a beat every quarter second
    job = a_running_job()
    heartbeat = Heartbeat(job.pk)
    heartbeat.start()
    beats = set()
    for _ in range(40):
        time.sleep(0.1)
        beats.add(Job.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk))
    heartbeat.stop()
    assert not heartbeat.is_alive()
    assert len(beats - {None}) >= 3
    last = Job.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk)
    time.sleep(0.6)
    assert Job.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk) == last
