"""The public site in Chromium, as an anonymous visitor: the dashboard, the list, a filter,
a recommendation, an actor's page and the report reader, clicked through; axe-core on
each; no cookie at the end; printed without navigation or filters."""

import datetime
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from hearings.loading import load_report
from tracker import services
from tracker.models import FollowUpLine, Profile, Role
from tracker.publication import services as publication

from ..test_browser_follow_up import describe_violations, overflow, run_axe, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTOR = "Civil society organizations and NGOs"
TITLE = "Civil society to continue responding to the needs of migrants in crisis"


@pytest.fixture
def public_site(settings):
    """The report, a published note with an evidence link, the site on; a cache of this
    test's own (the database's cache table outlives a transactional test's rows)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"public-browser-{uuid.uuid4()}",
        }
    }
    load_report()
    coordinator = get_user_model().objects.create_user("coord", password="a-long-password-1")
    Profile.objects.create(user=coordinator, role=Role.COORDINATOR)
    line = FollowUpLine.objects.get(recommendation__code="R42.1", actor__key="civil-society")
    services.status_update_record(
        line_id=line.pk,
        user=coordinator,
        status="in-progress",
        note="Shelters opened on the border; the first report is online.",
        effective_date=datetime.date(2014, 5, 2),
        evidence_links=["https://example.org/shelters"],
        seen_version=0,
        publish=True,
    )
    publication.site_set(user=coordinator, is_on=True)


def test_an_anonymous_visitor_clicks_through_the_public_site(live_server, page, public_site):
    found = {}

    def check(name):
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        found[name] = run_axe(page)
        shoot(page, f"public-{name.replace(', ', '-').replace(' ', '-')}.png")

    page.goto(f"{live_server.url}/en/public/")
    expect(page.get_by_role("heading", level=1, name="How far follow-up has come")).to_be_visible()
    expect(page.get_by_role("link", name="Staff view (log in)")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    check("dashboard")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Recommendations").click()
    expect(page.get_by_role("heading", level=1, name="Recommendations")).to_be_visible()
    check("list")

    page.get_by_role("checkbox", name="Migrant rights and protection").check()
    page.get_by_label("Search title and text").fill("crisis")
    page.get_by_role("button", name="Apply filters").click()
    # The filters are in the address, to share.
    expect(page).to_have_url(re.compile(r"/en/public/recommendations/\?q=crisis&theme=rights&"))
    expect(page.get_by_role("heading", level=2, name="6 recommendations")).to_be_visible()
    check("list, filtered")

    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    line = page.get_by_role("article", name=ACTOR)
    expect(line).to_contain_text("In progress")
    expect(line).to_contain_text("since 2 May 2014")
    notes = line.get_by_role("list", name=f"Published notes for {ACTOR}, latest first")
    expect(notes).to_contain_text("Shelters opened on the border")
    expect(notes.get_by_role("link", name="https://example.org/shelters")).to_be_visible()
    check("recommendation")

    line.get_by_role("link", name=ACTOR).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"What was asked of {ACTOR}, and how far it has come"
    )
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    check("actor")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="The report").click()
    expect(
        page.get_by_role("heading", level=1, name="The report, chapter by chapter")
    ).to_be_visible()
    check("report index")
    page.get_by_role("link", name="V. Theme 1: Migrant labour and mobility").click()
    expect(page.locator("#p30")).to_contain_text("Reducing the costs of labour migration")
    check("report chapter")

    # Keyboard: the skip link comes first and leads to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()

    page.goto(f"{live_server.url}/en/public/recommendations/NO-SUCH/")
    check("404")

    assert page.context.cookies() == []  # nothing set, on any page
    failing = {name: v for name, v in found.items() if v}
    assert not failing, "Serious or critical axe violations:\n" + "\n".join(
        f"{name}:\n{describe_violations(v)}" for name, v in failing.items()
    )


def test_a_public_page_prints_its_content_without_navigation(live_server, page, public_site):
    page.goto(f"{live_server.url}/en/public/recommendations/R42.1/")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("link", name="Staff view (log in)")).to_be_hidden()
    expect(page.get_by_role("article", name=ACTOR)).to_be_visible()
    expect(page.locator(".print-only")).to_contain_text("/en/public/recommendations/R42.1/")
    shoot(page, "public-recommendation-print.png")
    page.goto(f"{live_server.url}/en/public/recommendations/")
    expect(page.get_by_role("form", name="Filter the recommendations")).to_be_hidden()
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/en/public/")
    sizes = overflow(page)
    assert sizes["scrollWidth"] <= sizes["innerWidth"], sizes
