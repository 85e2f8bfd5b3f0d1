"""Reminders and requests in the browser: a coordinator clicks "Request an update" and
reads it on the line's timeline (and, clicking again, why not twice a day); a focal point
chooses the digest frequency on the preferences page; the one-click link's page. No
serious accessibility violation on any of them (axe-core)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from hearings.loading import load_report
from tracker.models import Role
from tracker.notifications.models import DigestPreference, UpdateRequest
from tracker.notifications.tokens import unsubscribe_token

from ..test_browser_follow_up import (
    ACTOR_NAME,
    CODE,
    HISTORY,
    civil_society_line,
    describe_violations,
    log_in,
    make_account,
    run_axe,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def with_email(user):
    user.email = f"{user.username}@example.org"
    user.save()
    return user


def test_a_coordinator_requests_an_update_and_reads_it_on_the_timeline(live_server, page):
    load_report()
    with_email(make_account("coord", Role.COORDINATOR))
    with_email(make_account("focal", Role.FOCAL_POINT, ["civil-society"]))
    mail.outbox = []
    base = live_server.url

    log_in(page, base, "coord")
    page.goto(f"{base}/recommendations/{CODE}/")
    line = page.get_by_role("article", name=ACTOR_NAME)
    expect(line.get_by_text("Nothing recorded yet.")).to_be_visible()
    line.get_by_role("button", name="Request an update").click()

    expect(page.get_by_role("status")).to_have_text(
        f"Update requested from {ACTOR_NAME}: e-mailed to focal."
    )
    line = page.get_by_role("article", name=ACTOR_NAME)
    entries = line.get_by_role("list", name=HISTORY).locator(":scope > li")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("Update requested")
    expect(entries.first).to_contain_text(
        re.compile(r"Requested by coord on .*; e-mailed to 1 focal point")
    )
    assert [m.to for m in mail.outbox] == [["focal@example.org"]]
    assert run_axe(page) == [], describe_violations(run_axe(page))

    line.get_by_role("button", name="Request an update").click()
    expect(page.get_by_role("status")).to_contain_text(
        "An update was already requested on this line today, by coord at "
    )
    expect(entries).to_have_count(1)
    assert UpdateRequest.objects.filter(line=civil_society_line()).count() == 1
    assert len(mail.outbox) == 1


def test_a_viewer_has_no_request_button(live_server, page):
    load_report()
    make_account("viewer", Role.VIEWER)
    log_in(page, live_server.url, "viewer")
    page.goto(f"{live_server.url}/recommendations/{CODE}/")
    expect(page.get_by_role("article", name=ACTOR_NAME)).to_be_visible()
    expect(page.get_by_role("button", name="Request an update")).to_have_count(0)


def test_a_focal_point_chooses_the_digest_frequency(live_server, page):
    load_report()
    focal = with_email(make_account("focal", Role.FOCAL_POINT, ["civil-society"]))
    base = live_server.url

    log_in(page, base, "focal")
    page.get_by_role("link", name="Preferences").click()
    reminders = page.get_by_role("region", name="Reminders")
    expect(reminders.get_by_label("Every week")).to_be_checked()  # the default
    assert run_axe(page) == [], describe_violations(run_axe(page))
    reminders.get_by_label("Every month").check()
    reminders.get_by_role("button", name="Save digest choice").click()

    expect(page.get_by_role("status")).to_have_text("Digest choice saved.")
    expect(page.get_by_role("region", name="Reminders").get_by_label("Every month")).to_be_checked()
    assert DigestPreference.objects.get(user=focal).frequency == "monthly"

    # The link in a digest, opened in a browser: the choice, then a button.
    page.goto(f"{base}/reminders/unsubscribe/{unsubscribe_token(focal)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop the digest")
    assert DigestPreference.objects.get(user=focal).frequency == "monthly"
    assert run_axe(page) == [], describe_violations(run_axe(page))
    page.get_by_role("button", name="Stop the digest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Digest stopped")
    assert DigestPreference.objects.get(user=focal).frequency == "never"
