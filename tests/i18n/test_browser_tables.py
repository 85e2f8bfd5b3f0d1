"""Wide tables on a phone in Arabic (Chromium, 375 px): each scrolls sideways inside its
own region, which a keyboard can reach and a screen reader names; nothing else sticks out
of the window on either side. axe-core on every page."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from hearings.loading import load_report
from tests.test_browser_follow_up import describe_violations, run_axe, shoot
from tracker.api import services as api
from tracker.models import FollowUpLine, Profile, Role
from tracker.publication import services as publication

from .test_browser_languages import page_language, sticking_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-password-for-tests"
PAGES = ["/accounts/", "/audit/", "/public-site/", "/preferences/"]


def wide_regions(page) -> list[dict]:
    """The table regions wider inside than on the screen, and what a user can do with them."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.table-wrap')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1)
          .map((el) => {
            const before = el.scrollLeft;
            el.scrollLeft = -el.scrollWidth;  // towards the end of an Arabic row: the left
            const moved = el.scrollLeft !== before;
            el.scrollLeft = before;
            const labelledby = el.getAttribute('aria-labelledby');
            const name = el.getAttribute('aria-label')
              || (labelledby && document.getElementById(labelledby)?.textContent.trim());
            return {moved, tabindex: el.tabIndex, role: el.getAttribute('role'), name};
          })"""
    )


@pytest.fixture
def coordinator_in_arabic():
    load_report()
    user = get_user_model().objects.create_user(
        "coordinator-with-a-long-name", password=PASSWORD, email="coordinator@example.org",
        first_name="Marie-Françoise", last_name="Rakotondrabe-Andrianarivelo",
    )  # fmt: skip
    Profile.objects.create(user=user, role=Role.COORDINATOR, language="ar")
    for n in range(3):
        focal = get_user_model().objects.create_user(f"focal-point-number-{n}", password=PASSWORD)
        Profile.objects.create(user=focal, role=Role.FOCAL_POINT)
    line = FollowUpLine.objects.filter(recommendation__code="R30a").first()
    publication.site_set(user=user, is_on=True)
    publication.withhold(user=user, reason="Under review by the secretariat.", line=line)
    line.target_date = datetime.date(2015, 6, 30)
    line.save()
    api.token_create(user=user, name="Reporting dashboard of the regional office")
    return user


def test_wide_tables_scroll_in_their_own_region_in_arabic(live_server, page, coordinator_in_arabic):
    page.goto(f"{live_server.url}/auth/login/")
    page.get_by_label("User name").fill("coordinator-with-a-long-name")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    with translation.override("ar"):
        heading = translation.gettext("How far follow-up has come")
    page.get_by_role("heading", level=1, name=heading).wait_for()
    page.set_viewport_size({"width": 375, "height": 800})
    found, regions = {}, {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        assert page_language(page) == ("ar", "rtl"), path
        assert sticking_out(page) == [], path
        regions[path] = wide_regions(page)
        for region in regions[path]:
            assert region["moved"], (path, region)  # it scrolls
            assert region["tabindex"] == 0, (path, region)  # a keyboard reaches it
            assert region["role"] == "region", (path, region)  # a screen reader names it
            assert region["name"], (path, region)
        found[path] = run_axe(page)
        shoot(page, f"arabic-375-tables{path.replace('/', '-')}.png")
    assert regions["/accounts/"], "the accounts table fits at 375 px: the test shows nothing"
    failing = {name: v for name, v in found.items() if v}
    assert not failing, "\n".join(f"{n}:\n{describe_violations(v)}" for n, v in failing.items())
