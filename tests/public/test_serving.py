"""How every public response is served (tracker.public.serving): the switch, GET only, no
cookie for anyone, conditional GET answered from the version alone, the shared cache that
a write makes stale, and the throttle."""

import pytest
from django.test import Client
from django.urls import LocalePrefixPattern, URLResolver, get_resolver
from django.utils import translation

from tracker.publication import services as publication
from tracker.publication import versions

from .conftest import LINE_REC, PASSWORD, SECRET
from .urls import PAGES, UNPREFIXED, every_url

pytestmark = pytest.mark.django_db

DETAIL = f"/en/public/recommendations/{LINE_REC}/"


def test_the_site_off_is_a_404_everywhere_and_robots_txt_says_crawl_nothing(users, record):
    record(publish=True)
    client = Client()
    staff = Client()
    assert staff.login(username=f"coordinator-{SECRET}", password=PASSWORD)
    for url in every_url():
        if url == "/robots.txt":
            continue
        response = client.get(url)
        if url in UNPREFIXED:  # to the page in the browser's language, which is not found
            assert response.status_code == 302, url
            response = client.get(response["Location"])
        assert response.status_code == 404, url
        with translation.override(response["Content-Language"]):  # the address's language
            assert translation.gettext("There is no public page here.") in response.content.decode()
        assert "Set-Cookie" not in staff.get(url).headers, url
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert robots.content.decode() == "User-agent: *\nDisallow: /\n"
    publication.site_set(user=users["coordinator"], is_on=True)
    assert client.get("/en/public/").status_code == 200
    assert "Sitemap: http://" in client.get("/robots.txt").content.decode()


def test_every_public_route_is_wrapped_by_public_view_and_nothing_else_is():
    """A public view without the wrapper would serve while the site is off; a staff view
    marked public would lose its session."""
    public_prefixes = ("public/", "data/", "feeds/", "sitemap", "robots.txt")
    found = {}

    def walk(patterns, prefix=""):
        for p in patterns:
            # The public pages' language prefix (i18n_patterns) is the active language's.
            pattern = "" if isinstance(p.pattern, LocalePrefixPattern) else str(p.pattern)
            route = prefix + pattern
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            else:
                found[route] = getattr(p.callback, "public", False)

    walk(get_resolver().url_patterns)
    public = sorted(route for route, marked in found.items() if marked)
    assert len(public) >= 12
    for route, marked in found.items():
        assert marked == route.startswith(public_prefixes), route


def test_only_get_and_head(site_on):
    client = Client()
    for url in PAGES[:3]:
        assert client.post(url).status_code == 405
        assert client.put(url).status_code == 405
        assert client.head(url).status_code == 200
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-recommendations.xml?p=99").status_code == 404


def test_no_public_response_sets_a_cookie_for_visitors_or_logged_in_staff(site_on, users, record):
    record(publish=True)
    anonymous = Client()
    staff = Client()
    assert staff.login(username=f"coordinator-{SECRET}", password=PASSWORD)
    session_key = staff.cookies["sessionid"].value
    for client in (anonymous, staff):
        for url in every_url():
            response = client.get(url)
            assert response.status_code in {200, 302}, url
            assert "Set-Cookie" not in response.headers, url
            assert not response.cookies, url
            assert "Cookie" not in response.headers.get("Vary", ""), url
    # The staff session is untouched: still logged in, with the same key.
    assert staff.cookies["sessionid"].value == session_key
    assert staff.get("/").status_code == 200


def test_public_pages_hold_no_csrf_token_session_or_staff_navigation(site_on, users):
    client = Client()
    assert client.login(username=f"coordinator-{SECRET}", password=PASSWORD)
    for url in PAGES:
        body = client.get(url).content.decode()
        assert "csrfmiddlewaretoken" not in body, url
        assert "Log out" not in body, url
        assert "Audit log" not in body, url
        assert "coordinator" not in body.lower().replace("coordinators", ""), url


def test_a_conditional_get_is_answered_304_from_the_version_alone(
    site_on, private_cache, django_assert_num_queries
):
    client = Client()
    first = client.get(DETAIL)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    # The language is the address's: the page does not vary by the browser's.
    assert "Accept-Language" not in first.headers.get("Vary", "")
    # The switch and the version: the page is neither rendered nor read from the cache.
    with django_assert_num_queries(2) as captured:
        response = client.get(DETAIL, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "hearings_recommendation" not in sql
    assert client.get(DETAIL, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_write_moves_the_etag_and_the_page_changes(site_on, record):
    client = Client()
    before = client.get(DETAIL)
    assert "A new hotline in ten countries." not in before.content.decode()
    assert client.get(DETAIL).content == before.content  # from the cache, unchanged
    record(note="A new hotline in ten countries.", publish=True)
    after = client.get(DETAIL, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "A new hotline in ten countries." in after.content.decode()
    # An unpublished update moves it too (the line's status is public), and so does a
    # change of the public settings.
    etag = after.headers["ETag"]
    record(note="Internal only.", status="planned")
    changed = client.get(DETAIL, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Internal only." not in changed.content.decode()
    assert "Planned" in changed.content.decode()


def test_the_cache_serves_a_page_without_rendering_it_again(
    site_on, private_cache, django_assert_num_queries
):
    client = Client()
    client.get("/en/public/")
    # The switch and the version; the page comes from the cache: no figure is read.
    with django_assert_num_queries(2) as captured:
        again = client.get("/en/public/")
    assert again.status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "tracker_tally" not in sql
    assert versions.current() > 0


def test_public_pages_are_throttled_per_client(site_on, settings):
    settings.PUBLIC_RATE = 3
    one, other = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert [one.get("/en/public/").status_code for _ in range(3)] == [200, 200, 200]
    refused = one.get("/en/public/")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert other.get("/en/public/").status_code == 200
