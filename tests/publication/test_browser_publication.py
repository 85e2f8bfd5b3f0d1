"""Publication in the browser: a coordinator publishes a focal point's note from the timeline,
keeps the line out of public view with a reason, finds it on the Public site page and
switches the site on, reading each confirmation as a person would; a viewer sees the badges
only. Chromium against the live server; axe-core on the pages with the new controls."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from hearings.loading import load_report
from tests.test_browser_follow_up import (
    ACTOR_NAME,
    CODE,
    civil_society_line,
    describe_violations,
    log_in,
    log_out,
    make_account,
    record,
    run_axe,
    shoot,
)
from tracker.models import Role
from tracker.publication.models import NotePublication, PublicSite, Withholding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "The hotline now answers in three languages."
REASON = "The ministry asked us to wait for its written reply."


def test_a_coordinator_publishes_a_note_and_keeps_a_line_out(live_server, page):
    load_report()
    focal = make_account("focal", Role.FOCAL_POINT, ["civil-society"])
    make_account("coord", Role.COORDINATOR)
    make_account("viewer", Role.VIEWER)
    line = civil_society_line()
    update = record(line, focal, "in-progress", NOTE, days_ago=20)
    when = (datetime.date.today() - datetime.timedelta(days=20)).strftime("%-d %b %Y")
    base = live_server.url

    log_in(page, base, "coord")
    page.goto(f"{base}/recommendations/{CODE}/")
    article = page.get_by_role("article", name=ACTOR_NAME)
    entry = article.locator(f"#update-{update.pk}")
    expect(entry).to_contain_text(NOTE)
    expect(entry.locator(".badge--public")).to_have_count(0)
    violations = run_axe(page)
    assert not violations, describe_violations(violations)

    # Publish the note from the timeline.
    entry.get_by_role("button", name=f"Publish the note of {when} for {ACTOR_NAME}").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text(f"for {ACTOR_NAME} is published")
    expect(status).to_contain_text(
        "The public site is off: the note will show once a coordinator switches it on"
    )
    entry = page.get_by_role("article", name=ACTOR_NAME).locator(f"#update-{update.pk}")
    expect(entry.locator(".badge--public")).to_have_text("Public")
    expect(entry.get_by_role("button", name=re.compile("^Withdraw from public"))).to_be_visible()
    assert NotePublication.objects.filter(update=update).exists()

    # Keep the line out of public view, with a reason.
    article = page.get_by_role("article", name=ACTOR_NAME)
    article.locator("summary", has_text="Keep out of public view").click()
    article.get_by_label("Why is it kept out of public view?").fill(REASON)
    article.get_by_role("button", name=re.compile("^Keep out of public view")).click()
    expect(page.get_by_role("status")).to_have_text(
        f"The line of {CODE} for {ACTOR_NAME} is kept out of public view, with its notes; "
        "the rest of the recommendation stays public."
    )
    article = page.get_by_role("article", name=ACTOR_NAME)
    expect(article.locator(".line__public")).to_contain_text("Kept out of public view")
    expect(article.locator(".line__public")).to_contain_text(REASON)
    assert Withholding.objects.get(line=line).reason == REASON
    shoot(page, "publication-timeline-coordinator.png")
    violations = run_axe(page)
    assert not violations, describe_violations(violations)

    # The Public site page lists it, counts the note, and switches the site on.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Public site").click()
    expect(page.get_by_role("heading", level=1, name="Public site")).to_be_visible()
    kept_out = page.locator("#kept-out")
    expect(kept_out).to_contain_text(f"{CODE} · {ACTOR_NAME}")
    expect(kept_out).to_contain_text(REASON)
    published = page.locator(".card").filter(has_text="published, of 1 status update recorded")
    expect(published.locator(".card__figure")).to_have_text("1")
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    page.get_by_role("button", name="Switch the public site on").click()
    expect(page.get_by_role("status")).to_contain_text("The public site is on.")
    expect(page.get_by_role("button", name="Switch the public site off")).to_be_visible()
    assert PublicSite.load().is_on
    shoot(page, "publication-public-site-page.png")
    log_out(page)

    # A viewer sees the badges, not the buttons, nor the reason.
    log_in(page, base, "viewer")
    page.goto(f"{base}/recommendations/{CODE}/")
    article = page.get_by_role("article", name=ACTOR_NAME)
    expect(article.locator(f"#update-{update.pk} .badge--public")).to_have_text("Public")
    expect(article.locator(".badge--kept-out")).to_have_text("Kept out of public view")
    expect(article.get_by_role("button", name=re.compile("Publish|Withdraw"))).to_have_count(0)
    expect(page.get_by_text(REASON)).to_have_count(0)
