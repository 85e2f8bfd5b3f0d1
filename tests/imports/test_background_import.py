"""Confirming an import of more than BACKGROUND_IMPORT_MIN_ROWS changes: a background job,
all or nothing with the job, and its result on the import's own pages."""

import pytest
from django.urls import reverse

from tests.imports.test_imports import (
    build_csv,
    client_for,
    confirm,
    lines_of,
    make_account,
    new_cells,
    record,
    sheet_rows,
    upload,
)
from tests.jobs.helpers import run_queued
from tracker.jobs.models import Job
from tracker.models import FollowUpLine, Role, StatusUpdate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_here")]


@pytest.fixture
def focal(loaded_report, settings):
    settings.BACKGROUND_IMPORT_MIN_ROWS = 2
    return make_account("focal", Role.FOCAL_POINT, ["civil-society"])


def confirmed(client, lines, capture):
    new = {line.pk: new_cells(note=f"Row for {line.pk}.") for line in lines}
    preview = upload(client, build_csv(sheet_rows(lines, new)))
    with capture(execute=True):
        return confirm(client, preview)


def test_up_to_the_threshold_the_import_is_recorded_on_the_page(
    focal, django_capture_on_commit_callbacks
):
    response = confirmed(client_for(focal), lines_of("civil-society", 2),
                         django_capture_on_commit_callbacks)  # fmt: skip
    assert response["Location"] == reverse("import")
    assert StatusUpdate.objects.count() == 2
    assert not Job.objects.exists()


def test_beyond_it_a_job_records_every_row_and_leads_to_the_import_page(
    focal, django_capture_on_commit_callbacks
):
    lines = lines_of("civil-society", 3)
    client = client_for(focal)
    response = confirmed(client, lines, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert response["Location"] == reverse("job", args=[job.pk])
    assert (job.kind, job.requester, job.state) == ("import", focal, Job.State.QUEUED)
    assert job.title == "Import of follow-up.csv: 3 status updates"
    assert StatusUpdate.objects.count() == 0
    assert "Waiting to start" in client.get(response["Location"]).content.decode()

    assert run_queued() == 1
    job.refresh_from_db()
    assert (job.state, job.result) == (Job.State.DONE, {"recorded": 3})
    assert "rows" not in job.parameters  # they are in the history now
    assert sorted(StatusUpdate.objects.values_list("line_id", flat=True)) == [
        line.pk for line in lines
    ]
    assert set(StatusUpdate.objects.values_list("recorded_by", flat=True)) == {focal.pk}

    page = client.get(reverse("job", args=[job.pk]))
    assert page["Location"] == reverse("import-job", args=[job.pk])
    result = client.get(page["Location"], follow=True)
    assert result.redirect_chain[-1][0] == reverse("import")
    assert "3 updates recorded from follow-up.csv." in result.content.decode()


def test_a_line_moved_on_meanwhile_fails_the_job_writes_nothing_and_names_the_row(
    focal, django_capture_on_commit_callbacks
):
    lines = lines_of("civil-society", 3)
    client = client_for(focal)
    confirmed(client, lines, django_capture_on_commit_callbacks)
    record(lines[1], make_account("someone", Role.COORDINATOR), "planned", "Meanwhile.")

    run_queued()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert job.error.startswith("Nothing was recorded")
    [error] = job.result["errors"]
    assert (error["row"], error["column"], error["letter"]) == (3, "last_update_id", "P")
    assert error["message"].startswith("Conflict: this line was updated after the file")
    assert list(StatusUpdate.objects.values_list("note", flat=True)) == ["Meanwhile."]
    assert FollowUpLine.objects.get(pk=lines[0].pk).update_count == 0

    response = client.get(reverse("job", args=[job.pk]), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("import-job", args=[job.pk])
    assert "The import was not recorded" in html
    assert "Nothing was recorded" in html
    assert response.context["errors"][0].column_label  # the column's name, as on the preview
    assert "Upload a corrected file" in html
