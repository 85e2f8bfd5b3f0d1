"""Real worker processes, on each engine (the database backend, RQ on Redis): a report
made by one, and a worker killed in the middle of an import (kill -9), noticed by its
missing heartbeat and leaving no row of the import written."""

import datetime
import os
import signal
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.imports.test_imports import client_for, lines_of
from tests.jobs.helpers import import_job, report_job
from tests.jobs.workers import process_env, started, wait_for
from tracker.jobs.models import Job
from tracker.jobs.services import jobs_reap
from tracker.models import FollowUpLine, StatusUpdate

pytestmark = pytest.mark.django_db(transaction=True)

WORKER = ["manage.py", "jobs_worker", "--no-schedule"]
BLOCKING_WORKER = [str(Path(__file__).with_name("blocking_worker.py"))]


def finished(job):
    job.refresh_from_db()
    return job.finished


def test_a_worker_process_makes_a_report_for_its_requester(engine, requester, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    job = report_job(requester, "docx", "theme=labour")
    job.refresh_from_db()
    assert job.task_id  # queued once committed: here, at once
    log = tmp_path / "worker.log"
    with started(WORKER, process_env(settings.MEDIA_ROOT, **engine), log):
        wait_for(lambda: finished(job), what="the report", log_path=log)
    assert job.state == Job.State.DONE, job.error
    assert job.worker.split(":")[0]
    response = client_for(requester).get(reverse("job-download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_a_worker_killed_mid_import_fails_the_job_and_writes_no_row(
    engine, requester, settings, tmp_path
):
    settings.JOB_HEARTBEAT_SECONDS = 4  # here and in the worker: a beat a second
    lines = lines_of("civil-society", 4)
    job = import_job(requester, lines)
    blocked = tmp_path / "blocked"
    log = tmp_path / "worker.log"
    env = process_env(tmp_path / "media", JOB_HEARTBEAT_SECONDS="4", BLOCK_AFTER="2",
                      BLOCKED_FILE=str(blocked), **engine)  # fmt: skip
    with started(BLOCKING_WORKER, env, log) as worker:
        pid = int(wait_for(lambda: blocked.exists() and blocked.read_text(),
                           what="the import to block", log_path=log))  # fmt: skip
        job.refresh_from_db()
        assert (job.state, job.worker.rsplit(":", 1)[1]) == (Job.State.RUNNING, str(pid))
        assert StatusUpdate.objects.count() == 0  # two written, not committed
        if connection.vendor == "postgresql":
            # Progress written inside the open transaction, through the second connection;
            # the heartbeat beating from its thread, so the reaper leaves the job alone.
            assert (job.step, job.percent) == ("Recording 4 status updates", 5)
            beat = job.heartbeat_at
            wait_for(lambda: Job.objects.get(pk=job.pk).heartbeat_at > beat, timeout=10,
                     what="a heartbeat", log_path=log)  # fmt: skip
            assert jobs_reap() == []
        else:  # SQLite: the step written before the transaction (running.py says why)
            assert (job.step, job.percent) == ("Checking 4 rows again", 2)

        os.kill(pid, signal.SIGKILL)
        if pid == worker.pid:
            worker.wait(timeout=10)
        else:  # RQ's work horse: its worker sees it die, and goes on
            time.sleep(1)
    later = timezone.now() + datetime.timedelta(seconds=5)
    assert jobs_reap(later) == [job.pk]
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "stopped before it finished" in job.error
    assert StatusUpdate.objects.count() == 0
    assert set(FollowUpLine.objects.filter(pk__in=[x.pk for x in lines])
               .values_list("update_count", flat=True)) == {0}  # fmt: skip
    page = client_for(requester).get(reverse("job", args=[job.pk]), follow=True)
    assert "The import was not recorded" in page.content.decode()
    assert "stopped before it finished" in page.content.decode()
