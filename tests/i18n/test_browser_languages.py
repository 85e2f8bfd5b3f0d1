"""Arabic and Chinese in Chromium, as their users meet them: a focal point switches the
staff pages to Arabic and records an update there (right to left, mirrored, nothing
sticking out at 375 px); an anonymous visitor whose browser asks for Chinese reads the
public site in Chinese and switches to English. axe-core on every page."""

import datetime
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from playwright.sync_api import expect

from hearings.loading import load_report
from hearings.models import Theme
from tests.test_browser_follow_up import describe_violations, run_axe, shoot
from tracker import services
from tracker.models import FollowUpLine, Profile, Role, StatusUpdate
from tracker.publication import services as publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-password-for-tests"
CODE = "R42.1"


def words(language: str, message: str, **values) -> str:
    """A message of the interface as a reader of `language` reads it."""
    with translation.override(language):
        return translation.gettext(message) % values if values else translation.gettext(message)


def sticking_out(page) -> list[str]:
    """Elements outside the window, except inside a region that scrolls sideways (the
    region itself must fit), and the page's own horizontal scroll."""
    return page.evaluate(
        """() => {
          const width = window.innerWidth, out = [];
          if (document.documentElement.scrollWidth > width) {
            out.push(`page scrolls: ${document.documentElement.scrollWidth} > ${width}`);
          }
          const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect(), style = getComputedStyle(el);
            const hidden = el.closest('.visually-hidden, .skip-link');
            if (!r.width || style.position === 'absolute' && hidden) continue;
            let up = el.parentElement, inside = false;
            for (; up && up !== document.body; up = up.parentElement) {
              if (scrolls(up)) { inside = true; break; }
            }
            if (inside) continue;
            if (r.left < -1 || r.right > width + 1) {
              const where = `${Math.round(r.left)}..${Math.round(r.right)}`;
              out.push(`${el.tagName.toLowerCase()}.${el.className} ${where}`);
            }
          }
          return out;
        }"""
    )


def page_language(page) -> tuple[str, str]:
    script = "() => [document.documentElement.lang, document.documentElement.dir]"
    return tuple(page.evaluate(script))


@pytest.fixture
def focal_point():
    load_report()
    user = get_user_model().objects.create_user("focal", password=PASSWORD)
    profile = Profile.objects.create(user=user, role=Role.FOCAL_POINT)
    profile.actors.set([FollowUpLine.objects.get(recommendation__code=CODE,
                                                 actor__key="civil-society").actor])  # fmt: skip
    return user


def test_a_focal_point_works_in_arabic(live_server, page, focal_point):
    base = live_server.url
    found = {}
    page.goto(f"{base}/auth/login/")
    page.get_by_label("User name").fill("focal")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="How far follow-up has come")).to_be_visible()

    # The switcher, in English, names Arabic in Arabic.
    page.get_by_label("Language").select_option(label="العربيّة")
    page.get_by_role("button", name="Change language").click()
    heading = words("ar", "How far follow-up has come")
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    assert page_language(page) == ("ar", "rtl")
    assert Profile.objects.get(user=focal_point).language == "ar"
    found["dashboard"] = run_axe(page)

    # Mirrored: the site's name starts the header on the right, its menu follows on the left.
    title = page.locator(".site-title").bounding_box()
    menu = page.get_by_role("navigation").first.bounding_box()
    assert title["x"] > menu["x"], (title, menu)
    assert title["x"] + title["width"] > page.viewport_size["width"] / 2

    # Record an update, every label read in Arabic.
    page.get_by_role("link", name=words("ar", "Recommendations"), exact=True).first.click()
    list_heading = page.get_by_role("heading", level=1, name=words("ar", "Recommendations"))
    expect(list_heading).to_be_visible()
    found["list"] = run_axe(page)
    page.goto(f"{base}/recommendations/{CODE}/")
    found["recommendation"] = run_axe(page)
    line = FollowUpLine.objects.get(recommendation__code=CODE, actor__key="civil-society")
    with translation.override("ar"):
        actor = line.actor.local_name
    assert actor != line.actor.name, "the actor's name has no Arabic"
    record_link = words("ar", "Record an update for %(actor)s", actor=actor)
    page.get_by_role("link", name=record_link).click()
    found["update form"] = run_axe(page)
    page.get_by_role("radio", name=words("ar", "In progress")).check()
    page.get_by_role("textbox", name=words("ar", "Note")).fill("بدأ العمل في ثلاثة بلدان.")
    effective = datetime.date.today() - datetime.timedelta(days=3)
    page.get_by_label(words("ar", "Date the status took effect")).fill(effective.isoformat())
    page.get_by_role("button", name=words("ar", "Record the update")).click()
    expect(page.get_by_role("status")).to_contain_text(words("ar", "Update recorded."))
    assert StatusUpdate.objects.get(line=line).note == "بدأ العمل في ثلاثة بلدان."
    assert page_language(page) == ("ar", "rtl")

    # A phone's width: nothing sticks out on either side.
    page.set_viewport_size({"width": 375, "height": 800})
    paths = ["/", "/recommendations/", f"/recommendations/{CODE}/", f"/lines/{line.pk}/update/"]
    for path in paths:
        page.goto(f"{base}{path}")
        assert page_language(page) == ("ar", "rtl")
        assert sticking_out(page) == [], path
        shoot(page, f"arabic-375{path.replace('/', '-')}.png")

    failing = {name: v for name, v in found.items() if v}
    assert not failing, "\n".join(f"{n}:\n{describe_violations(v)}" for n, v in failing.items())


@pytest.fixture
def public_site(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"languages-browser-{uuid.uuid4()}",
        }
    }
    load_report()
    coordinator = get_user_model().objects.create_user("coord", password=PASSWORD)
    Profile.objects.create(user=coordinator, role=Role.COORDINATOR)
    line = FollowUpLine.objects.get(recommendation__code=CODE, actor__key="civil-society")
    services.status_update_record(
        line_id=line.pk, user=coordinator, status="in-progress",
        note="Shelters opened on the border.", effective_date=datetime.date(2014, 5, 2),
        evidence_links=[], seen_version=0, publish=True,
    )  # fmt: skip
    publication.site_set(user=coordinator, is_on=True)


def test_a_visitor_reads_the_public_site_in_chinese(live_server, browser, public_site):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = {}
    try:
        page.goto(f"{live_server.url}/public/")  # no language: the browser's is chosen
        assert page.url.endswith("/zh-hans/public/")
        assert page_language(page) == ("zh-hans", "ltr")
        heading = words("zh-hans", "How far follow-up has come")
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        found["dashboard"] = run_axe(page)

        theme = Theme.objects.get(key="rights")
        with translation.override("zh-hans"):
            theme_title = theme.local_title
        assert theme_title != theme.title, "the theme has no Chinese title"
        page.get_by_role("link", name=words("zh-hans", "Recommendations"), exact=True).click()
        page.get_by_role("checkbox", name=theme_title).check()
        # The report's words find it in any language (its text is English).
        page.get_by_label(words("zh-hans", "Search title and text")).fill("crisis")
        page.get_by_role("button", name=words("zh-hans", "Apply filters")).click()
        assert "theme=rights" in page.url
        expect(page.get_by_role("link", name=CODE, exact=True)).to_be_visible()
        found["list"] = run_axe(page)

        page.get_by_role("link", name=CODE, exact=True).first.click()
        expect(page.get_by_text("Shelters opened on the border.")).to_be_visible()
        found["recommendation"] = run_axe(page)
        shoot(page, "chinese-public-recommendation.png")

        page.get_by_role("link", name="English", exact=True).click()
        page.wait_for_url(f"**/en/public/recommendations/{CODE}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(CODE)
        assert page_language(page) == ("en", "ltr")
        expect(page.get_by_text("Shelters opened on the border.")).to_be_visible()
        assert context.cookies() == [], "the public site set a cookie"
    finally:
        context.close()
    failing = {name: v for name, v in found.items() if v}
    assert not failing, "\n".join(f"{n}:\n{describe_violations(v)}" for n, v in failing.items())
