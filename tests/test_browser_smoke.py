"""The browser path, end to end: Chromium logs in to the admin and opens a recommendation."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from hearings.loading import load_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_logs_in_and_reads_a_recommendation(live_server, page):
    load_report()
    get_user_model().objects.create_superuser("coordinator", password="a-long-test-password")

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Recommendations").first.click()
    page.locator("#changelist-search").get_by_role("textbox").fill("ethical and responsible")
    page.keyboard.press("Enter")
    expect(page.locator("#result_list")).to_contain_text("R30a")
    page.get_by_role("link", name="R30a", exact=True).click()

    expect(page.get_by_role("heading", name="Change recommendation")).to_be_visible()
    body = page.locator("#content-main").inner_text()
    assert "establish ethical and responsible standards for the recruitment of workers" in body
    assert "30. Reducing the costs of labour migration" in body
