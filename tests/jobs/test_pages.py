"""A job's pages: only its requester sees them (the matrix), the page without and with
JavaScript, the JSON the script polls (its queries pinned), the download while kept, and
the cleanup that removes it after JOB_RESULT_DAYS."""

import datetime
import json

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.imports.test_imports import client_for
from tracker.jobs.cleanup import job_results_remove
from tracker.jobs.models import Job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_here")]

PAGES = ["job", "job-progress", "job-download", "import-job"]


def a_job(user, **fields) -> Job:
    fields = {"kind": "report", "title": "PDF progress report", **fields}
    return Job.objects.create(requester=user, **fields)


def a_done_report(user, data=b"%PDF-1.7 a report") -> Job:
    now = timezone.now()
    job = a_job(user, state=Job.State.DONE, percent=100, finished_at=now,
                keep_until=now + datetime.timedelta(days=7), result_name="progress.pdf",
                result_type="application/pdf")  # fmt: skip
    job.result_file.save("progress.pdf", ContentFile(data))
    return job


def a_done_import(user) -> Job:
    return a_job(user, kind="import", state=Job.State.DONE, result_view="import-job",
                 result={"recorded": 2}, parameters={"filename": "follow-up.csv"})  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_only_the_requester_sees_a_job_everyone_else_gets_a_404(page, requester, others):
    job = a_done_import(requester) if page == "import-job" else a_done_report(requester)
    url = reverse(page, args=[job.pk])

    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    for role, user in others.items():
        assert client_for(user).get(url).status_code == 404, role
    assert client_for(requester).get(url).status_code in {200, 302}
    assert client_for(requester).post(url).status_code == 405


def test_a_job_that_does_not_exist_is_a_404(requester):
    assert client_for(requester).get(reverse("job", args=[987654])).status_code == 404


def test_a_running_job_shows_its_step_and_bar_and_refreshes_itself_without_javascript(
    requester,
):
    job = a_job(requester, state=Job.State.RUNNING, step="Laying out the pages", percent=30,
                heartbeat_at=timezone.now())  # fmt: skip
    response = client_for(requester).get(reverse("job", args=[job.pk]))
    html = response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    assert "<h1>PDF progress report</h1>" in html
    assert "Laying out the pages" in html
    assert '<progress class="job__bar" max="100" value="30"' in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "js/job-progress.js" in html
    assert f'data-job-progress="{reverse("job-progress", args=[job.pk])}"' in html
    assert "No news from the background worker" in html  # in the page, hidden


def test_a_job_waiting_long_or_silent_says_the_workers_may_be_down(requester, settings):
    settings.JOB_HEARTBEAT_SECONDS = 60
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    waiting = a_job(requester, created_at=long_ago)
    silent = a_job(requester, state=Job.State.RUNNING, heartbeat_at=long_ago)

    def progress(job):
        return client_for(requester).get(reverse("job-progress", args=[job.pk])).json()

    assert progress(waiting)["silent"] is True
    # On SQLite a long import keeps its heartbeat out until it ends: no false alarm there.
    assert progress(silent)["silent"] is (connection.vendor != "sqlite")
    fresh = a_job(requester)
    assert client_for(requester).get(reverse("job-progress", args=[fresh.pk])).json() == {
        "state": "queued", "step": "Waiting to start", "percent": 0, "finished": False,
        "silent": False, "url": reverse("job", args=[fresh.pk]),
    }  # fmt: skip


def test_a_finished_job_page_offers_its_file_and_no_longer_refreshes(requester):
    job = a_done_report(requester)
    response = client_for(requester).get(reverse("job", args=[job.pk]))
    html = response.content.decode()
    assert "Done: the file is ready." in html
    assert f'href="{reverse("job-download", args=[job.pk])}"' in html
    assert "Download progress.pdf" in html
    assert "http-equiv" not in html
    assert "job-progress.js" not in html
    data = client_for(requester).get(reverse("job-progress", args=[job.pk])).json()
    assert (data["state"], data["percent"], data["finished"]) == ("done", 100, True)


def test_a_failed_job_shows_its_error_and_no_traceback(requester):
    job = a_job(requester, state=Job.State.FAILED, error="The filters are no longer valid.")
    html = client_for(requester).get(reverse("job", args=[job.pk])).content.decode()
    assert '<div class="form-errors" role="alert"><p>The filters are no longer valid.' in html
    assert "Traceback" not in html


def test_the_download_is_an_attachment_of_the_stored_file(requester):
    job = a_done_report(requester)
    response = client_for(requester).get(reverse("job-download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="progress.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 a report"


def test_no_download_before_the_job_is_done(requester):
    job = a_job(requester, state=Job.State.RUNNING, result_name="progress.pdf")
    assert client_for(requester).get(reverse("job-download", args=[job.pk])).status_code == 404


def test_the_cleanup_removes_results_kept_past_their_days_and_the_page_says_so(requester):
    kept = a_done_report(requester)
    expired = a_done_report(requester)
    storage = expired.result_file.storage
    name = expired.result_file.name
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, seconds=1)):
        Job.objects.filter(pk=kept.pk).update(keep_until=timezone.now() + datetime.timedelta(1))
        response = client_for(requester).get(reverse("job-download", args=[expired.pk]))
        assert response.status_code == 410  # past its date, before the cleanup has run
        assert job_results_remove(timezone.localdate()) == 1
    assert not storage.exists(name)
    assert storage.exists(kept.result_file.name)
    expired.refresh_from_db()
    assert (expired.result_file.name, expired.parameters) == ("", {})
    assert expired.result_removed_at is not None
    response = client_for(requester).get(reverse("job-download", args=[expired.pk]))
    assert response.status_code == 410
    assert "has been removed" in response.content.decode()
    assert (
        "has been removed"
        in client_for(requester).get(reverse("job", args=[expired.pk])).content.decode()
    )
    assert job_results_remove() == 0


def test_the_progress_endpoint_queries_do_not_grow_with_jobs(requester, django_assert_num_queries):
    job = a_job(requester, state=Job.State.RUNNING, step="Recording", percent=12,
                heartbeat_at=timezone.now())  # fmt: skip
    client = client_for(requester)
    url = reverse("job-progress", args=[job.pk])
    # 1 the session, 2 the user, 3 their profile (time zone, middleware), 4 the job.
    with django_assert_num_queries(4):
        data = json.loads(client.get(url).content)
    assert (data["step"], data["percent"]) == ("Recording", 12)
    Job.objects.bulk_create(
        Job(kind="report", title=f"Report {n}", requester=requester) for n in range(200)
    )
    with django_assert_num_queries(4):
        client.get(url)
