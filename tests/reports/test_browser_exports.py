"""Exports in the browser: filter the list, "Export these N", download every format."""

import csv
import datetime
import io
import subprocess

import docx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from hearings.loading import load_report
from hearings.models import Recommendation
from tracker import services
from tracker.models import FollowUpLine, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
THEME = "Migrant rights and protection"
NOTE = "Search and rescue protocol agreed"


def test_coordinator_exports_a_filtered_list_in_every_format(live_server, page, tmp_path):
    load_report()
    user = get_user_model().objects.create_superuser("coordinator", password=PASSWORD)
    line = FollowUpLine.objects.get(recommendation__code="R38.1", actor__key="governments")
    services.status_update_record(
        line_id=line.pk, user=user, status=Status.IN_PROGRESS, note=NOTE,
        effective_date=datetime.date.today(), evidence_links=[], seen_version=0,
    )  # fmt: skip
    n = Recommendation.objects.main().filter(theme__key="rights").count()

    page.goto(f"{live_server.url}/auth/login/")
    page.get_by_label("User name").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Recommendations", exact=True).click()
    page.get_by_role("checkbox", name=THEME).check()  # themes are checkboxes (issue #8)
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name=f"Export these {n}").click()

    expect(page.get_by_role("heading", name="Export a progress report")).to_be_visible()
    expect(page.locator("#export-count")).to_contain_text(f"{n} main recommendations match")

    files = {}
    for label, ext in [
        ("CSV follow-up sheet", "csv"),
        ("Excel workbook (XLSX)", "xlsx"),
        ("Word progress report (DOCX)", "docx"),
        ("PDF progress report", "pdf"),
    ]:
        page.get_by_label(label).check()
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download").click()
        download = download_info.value
        assert download.suggested_filename == (
            f"progress-{datetime.date.today().isoformat()}-rights.{ext}"
        )
        files[ext] = tmp_path / download.suggested_filename
        download.save_as(files[ext])

    text = files["csv"].read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert NOTE in {row[11] for row in rows}
    assert {row[1] for row in rows} <= set(
        Recommendation.objects.filter(theme__key="rights").values_list("code", flat=True)
    )
    book = openpyxl.load_workbook(files["xlsx"])
    assert book["Follow-up"].max_row == len(rows) + 1
    document = docx.Document(files["docx"])
    assert any(NOTE in cell.text for t in document.tables for r in t.rows for cell in r.cells)
    pdf = subprocess.run(  # noqa: S603
        ["pdftotext", str(files["pdf"]), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert NOTE in pdf
    assert "R38.1" in pdf
