"""Bulk import in the browser: a focal point uploads an edited sheet, checks it, confirms."""

import pytest
from playwright.sync_api import expect

from hearings.loading import load_report
from tests.imports.test_imports import build_csv, new_cells, sheet_rows
from tests.test_browser_follow_up import describe_violations, log_in, make_account, run_axe, shoot
from tracker.models import FollowUpLine, Role, StatusUpdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "R42.1"
ACTOR_NAME = "Civil society organizations and NGOs"
NOTE = "Hotline staffed around the clock; =1+1 volunteers trained."


def csv_file(data: bytes) -> dict:
    return {"name": "follow-up.csv", "mimeType": "text/csv", "buffer": data}


def test_focal_point_uploads_an_edited_sheet_and_confirms(live_server, page):
    load_report()
    make_account("focal", Role.FOCAL_POINT, ["civil-society"])
    mine = FollowUpLine.objects.get(recommendation__code=CODE, actor__key="civil-society")
    other_mine = FollowUpLine.objects.filter(actor__key="civil-society").exclude(pk=mine.pk)[0]
    not_mine = FollowUpLine.objects.filter(actor__key="governments").first()
    lines = [mine, other_mine, not_mine]
    base = live_server.url

    log_in(page, base, "focal")
    page.get_by_role("link", name="Import updates from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import updates from a spreadsheet")

    # First upload: one good row, one bad status, one line the focal point does not report on.
    edited = {
        mine.pk: new_cells(status="In progress", note=NOTE),
        other_mine.pk: new_cells(status="Finished"),
        not_mine.pk: new_cells(),
    }
    page.get_by_label("Follow-up spreadsheet (CSV or XLSX)").set_input_files(
        csv_file(build_csv(sheet_rows(lines, edited)))
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    errors = page.get_by_role("table", name="Errors by row and column")
    expect(errors.get_by_role("row")).to_have_count(3)  # header + 2 errors
    expect(errors).to_contain_text("“Finished” is not a status")
    expect(errors).to_contain_text("No permission")
    changes = page.get_by_role("table", name="Status updates that the import would record")
    expect(changes).to_contain_text(CODE)
    expect(changes).to_contain_text(NOTE)
    expect(page.get_by_role("button", name="Confirm and record")).to_have_count(0)
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    shoot(page, "import-preview-with-errors.png")

    # Corrected file, uploaded from the preview page: only changes, then confirm.
    del edited[not_mine.pk]
    edited[other_mine.pk] = new_cells(status="planned", note="A budget line exists.")
    page.get_by_label("Follow-up spreadsheet (CSV or XLSX)").set_input_files(
        csv_file(build_csv(sheet_rows(lines, edited)))
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("list", name="Counts")).to_contain_text("2 changes")
    expect(page.get_by_role("list", name="Counts")).to_contain_text("1 row unchanged")
    expect(page.get_by_role("table", name="Errors by row and column")).to_have_count(0)
    shoot(page, "import-preview.png")
    assert StatusUpdate.objects.count() == 0
    page.get_by_role("button", name="Confirm and record").click()

    expect(page.get_by_role("status")).to_contain_text("2 updates recorded from follow-up.csv.")
    page.goto(f"{base}/recommendations/{CODE}/")
    line = page.get_by_role("article", name=ACTOR_NAME)
    expect(line.locator(".line__head")).to_contain_text("In progress")
    entry = line.get_by_role("listitem").filter(has_text=NOTE)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Recorded by focal")
    assert set(StatusUpdate.objects.values_list("recorded_by__username", flat=True)) == {"focal"}
