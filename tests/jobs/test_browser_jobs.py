"""Background jobs in the browser, with a real worker process: a large report followed on
its page (JavaScript polling the JSON), then downloaded; a large import followed on a page
that refreshes itself (no JavaScript), then its result on the import page."""

import pytest
from playwright.sync_api import expect

from hearings.loading import load_report
from tests.imports.test_browser_import import csv_file
from tests.imports.test_imports import build_csv, new_cells, sheet_rows
from tests.jobs.workers import process_env, started
from tests.test_browser_follow_up import describe_violations, log_in, make_account, run_axe, shoot
from tracker.jobs.models import Job
from tracker.models import FollowUpLine, Role, StatusUpdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKER = ["manage.py", "jobs_worker", "--no-schedule"]
LONG = 90_000  # ms: a PDF laid out by a worker on a busy machine


@pytest.fixture
def worker(settings, tmp_path):
    """A worker on the database backend, sharing this process's files (MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    log = tmp_path / "worker.log"
    with started(WORKER, process_env(settings.MEDIA_ROOT, JOBS_BACKEND="database"), log):
        yield log


def test_a_large_report_is_followed_on_its_page_then_downloaded(live_server, page, settings,
                                                                worker):  # fmt: skip
    load_report()
    make_account("focal", Role.FOCAL_POINT, ["civil-society"])
    settings.BACKGROUND_REPORT_MIN_RECOMMENDATIONS = 5
    log_in(page, live_server.url, "focal")
    page.goto(f"{live_server.url}/export/?theme=labour")
    page.get_by_label("PDF progress report").check()
    page.get_by_role("button", name="Download").click()

    offer = page.get_by_role("region", name="This report is made in the background")
    expect(offer).to_contain_text("The file is kept for you for 7 days.")
    offer.get_by_role("button", name="Make the report").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("PDF progress report as of")
    bar = page.get_by_role("progressbar")
    expect(bar).to_be_visible()
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    shoot(page, "job-progress.png")
    # The script polls the job's JSON and loads the page again once it is done.
    expect(page.get_by_text("Done: the file is ready.")).to_be_visible(timeout=LONG)
    expect(bar).to_have_count(0)
    shoot(page, "job-done.png")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download progress-").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-labour.pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert Job.objects.get().requester.username == "focal"


def test_a_large_import_is_followed_without_javascript_to_its_result(
    live_server, browser, settings, worker
):
    load_report()
    make_account("focal", Role.FOCAL_POINT, ["civil-society"])
    settings.BACKGROUND_IMPORT_MIN_ROWS = 2
    lines = list(FollowUpLine.objects.filter(actor__key="civil-society").order_by("pk")[:3])
    edited = {line.pk: new_cells(note=f"Row for line {line.pk}.") for line in lines}
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server.url, "focal")
        page.goto(f"{live_server.url}/import/")
        page.get_by_label("Follow-up spreadsheet (CSV or XLSX)").set_input_files(
            csv_file(build_csv(sheet_rows(lines, edited)))
        )
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("list", name="Counts")).to_contain_text("3 changes")
        page.get_by_role("button", name="Confirm and record").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Import of follow-up.csv: 3 status updates"
        )
        assert "/jobs/" in page.url
        # The page refreshes itself until the job is done, then leads to the import page.
        expect(page.get_by_role("status")).to_contain_text(
            "3 updates recorded from follow-up.csv.", timeout=LONG
        )
        assert page.url.endswith("/import/")
        assert StatusUpdate.objects.filter(recorded_by__username="focal").count() == 3
    finally:
        context.close()
