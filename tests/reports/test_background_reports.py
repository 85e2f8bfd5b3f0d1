"""PDF and Word reports of more than BACKGROUND_REPORT_MIN_RECOMMENDATIONS: offered on the
export page, started by a POST, made by a job as the page would have made them."""

import io
from urllib.parse import urlencode

import docx
import pytest
from django.test import Client
from django.urls import reverse

from tests.imports.test_imports import client_for, make_account
from tests.jobs.helpers import run_queued
from tracker.jobs.models import Job
from tracker.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_here")]

LABOUR = {"theme": "labour", "as_of": "2014-10-03", "grouping": "theme", "download": "1"}


@pytest.fixture
def focal(loaded_report, settings):
    settings.BACKGROUND_REPORT_MIN_RECOMMENDATIONS = 3
    return make_account("focal", Role.FOCAL_POINT, ["civil-society"])


def test_a_large_pdf_or_word_report_is_offered_in_the_background(focal):
    client = client_for(focal)
    for fmt in ("pdf", "docx"):
        response = client.get(reverse("export"), {**LABOUR, "format": fmt})
        assert response.status_code == 200
        html = response.content.decode()
        assert "This report is made in the background" in html
        assert response.context["background_count"] > 3
        assert f'action="{reverse("export-background")}"' in html
        assert response.context["background_query"] == urlencode({**LABOUR, "format": fmt})
    assert not Job.objects.exists()


def test_small_reports_and_every_spreadsheet_are_still_made_on_the_page(focal, settings):
    client = client_for(focal)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("export"), {**LABOUR, "format": fmt})
        assert response["Content-Disposition"].startswith("attachment")
    settings.BACKGROUND_REPORT_MIN_RECOMMENDATIONS = 200
    response = client.get(reverse("export"), {**LABOUR, "format": "docx"})
    assert response["Content-Disposition"].startswith("attachment")
    assert not Job.objects.exists()


def test_the_job_makes_the_report_the_page_would_have_made(
    focal, django_capture_on_commit_callbacks
):
    client = client_for(focal)
    query = urlencode({**LABOUR, "format": "docx", "mine": "on", "grouping": "actor"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("export-background"), {"query": query})
    job = Job.objects.get()
    assert response["Location"] == reverse("job", args=[job.pk])
    assert job.title.startswith("Word progress report (DOCX) as of 3 October 2014 (")
    assert job.parameters["filters"] == "theme=labour&mine=on"

    assert run_queued() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert job.result_name == "progress-2014-10-03-labour-mine-by-actor.docx"
    download = client.get(reverse("job-download", args=[job.pk]))
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "by focal" in "\n".join(p.text for p in document.paragraphs)
    # "Mine", rebuilt for the requester: one section, the civil society's lines.
    sections = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert sections == [
        "Progress as of 3 October 2014", "Summary", "Civil society organizations and NGOs",
        "Annex: status definitions and method",
    ]  # fmt: skip


def test_starting_needs_a_post_a_login_and_the_csrf_token(focal):
    query = urlencode({**LABOUR, "format": "pdf"})
    url = reverse("export-background")
    assert client_for(focal).get(url, {"query": query}).status_code == 405
    anonymous = Client().post(url, {"query": query})
    assert anonymous["Location"].startswith(reverse("login"))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(focal)
    assert strict.post(url, {"query": query}).status_code == 403
    assert not Job.objects.exists()


def test_options_no_longer_valid_lead_back_to_the_page_that_says_why(focal):
    query = urlencode({**LABOUR, "format": "pdf", "as_of": "2099-01-01"})
    response = client_for(focal).post(reverse("export-background"), {"query": query})
    assert response["Location"] == f"{reverse('export')}?{query}"
    page = client_for(focal).get(response["Location"])
    assert page.status_code == 400
    assert not Job.objects.exists()


def test_the_export_page_lists_the_users_own_reports_still_kept(focal):
    other = make_account("other", Role.VIEWER)
    mine = Job.objects.create(kind="report", title="My PDF report", requester=focal)
    Job.objects.create(kind="report", title="Their PDF report", requester=other)
    Job.objects.create(kind="import", title="My import", requester=focal)
    html = client_for(focal).get(reverse("export")).content.decode()
    assert "Your reports made in the background" in html
    assert f'href="{reverse("job", args=[mine.pk])}">My PDF report</a> · Waiting to start' in html
    assert "Their PDF report" not in html
    assert "My import" not in html
