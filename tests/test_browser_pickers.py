"""The actor picker in a browser: typing part of a name narrows the list, the keyboard
alone picks an actor, and the list's URL carries every choice."""

import re

import pytest
from playwright.sync_api import expect

from hearings.loading import load_report
from tests.test_browser_follow_up import log_in, make_account
from tracker.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_narrows_the_actors_and_the_keyboard_picks_several(live_server, page):
    load_report()
    make_account("picker-viewer", Role.VIEWER)
    log_in(page, live_server.url, "picker-viewer")
    page.goto(f"{live_server.url}/recommendations/")
    page.get_by_text("Choose actors").click()  # folded until asked
    search = page.get_by_role("searchbox", name="Type to filter the actors")
    expect(search).to_be_visible()
    mexico = page.get_by_role("checkbox", name="Mexico", exact=True)
    brazil = page.get_by_role("checkbox", name="Brazil", exact=True)
    expect(brazil).to_be_visible()

    search.fill("mexi")
    expect(mexico).to_be_visible()
    expect(brazil).to_be_hidden()
    expect(page.get_by_role("group", name="UN system")).to_be_hidden()

    search.press("Tab")  # the first visible checkbox: Mexico
    expect(mexico).to_be_focused()
    page.keyboard.press("Space")
    expect(mexico).to_be_checked()
    search.fill("")
    expect(brazil).to_be_visible()
    page.get_by_role("checkbox", name="International Labour Organization").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"actor=mex.*actor=ilo"))
    expect(page.get_by_text("2 actors chosen")).to_be_visible()  # shown open, with the count
    expect(page.get_by_role("checkbox", name="Mexico", exact=True)).to_be_checked()
