"""The open data's page as a visitor meets it in Chromium: no login, axe-clean, the date
chosen with the keyboard, a file downloaded under its name, no cookie set."""

import pytest
from playwright.sync_api import expect

from hearings.loading import load_report
from tracker.publication import services as publication

from ..test_browser_follow_up import describe_violations, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_chooses_a_date_and_downloads_a_file(live_server, page, settings):
    load_report()
    publication.site_set(user=None, is_on=True)
    settings.PUBLIC_BASE_URL = live_server.url  # the page's links are absolute, on it

    page.goto(f"{live_server.url}/data/")
    expect(page.get_by_role("heading", level=1, name="Open data")).to_be_visible()
    violations = run_axe(page)
    assert not violations, describe_violations(violations)

    page.get_by_label("Follow-up as of").focus()
    page.keyboard.type("10032014")  # Chromium's date field: month, day, year
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("as it stood on 3 October 2014")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download lines as CSV").click()
    assert download.value.suggested_filename == "lines-as-of-2014-10-03.csv"
    with open(download.value.path(), encoding="utf-8") as file:
        assert file.readline().strip() == "recommendation,actor,status,status_since"

    page.goto(f"{live_server.url}/data/?as_of=2014-02-30")
    expect(page.get_by_text("as_of must be a date written YYYY-MM-DD")).to_be_visible()
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    assert page.context.cookies() == []
