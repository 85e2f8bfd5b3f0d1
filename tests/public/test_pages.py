"""What each public page says: canonical addresses and Open Graph on PUBLIC_BASE_URL, the
sitemap, the list's filters in the URL, a recommendation, an actor's page, the report
reader, and the links between the staff pages and the public ones."""

import re

import pytest
from defusedxml import ElementTree as ET
from django.conf import settings
from django.test import Client

from hearings.models import Recommendation
from tracker.publication import services as publication
from tracker.publication.models import PublicSite

from .conftest import LINE_ACTOR, LINE_REC, PASSWORD, SECRET
from .urls import PAGES

pytestmark = pytest.mark.django_db

BASE = "https://tracker.example.org"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def base_url(settings):
    settings.PUBLIC_BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["*"]


def meta(body: str, name: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', body)
    assert found, name
    return found.group(1)


def test_every_page_has_its_canonical_address_and_open_graph_on_public_base_url(site_on, base_url):
    client = Client(HTTP_HOST="attacker.example.net")
    for url in PAGES:
        body = client.get(url).content.decode()
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', body).group(1)
        assert canonical.startswith(f"{BASE}/en/public/"), url
        assert "attacker" not in body, url
        assert meta(body, "og:url") == canonical
        assert meta(body, "og:title")
        assert meta(body, "og:description")
        assert meta(body, "og:type") in {"website", "article"}
        assert '<html lang="en"' in body
    detail = client.get(f"/en/public/recommendations/{LINE_REC}/").content.decode()
    assert meta(detail, "og:type") == "article"
    assert meta(detail, "og:title").startswith(f"{LINE_REC} Civil society")
    assert meta(detail, "og:description").startswith("Representatives of Member States")
    # A filtered list is its own page: its canonical address keeps the filters.
    listed = client.get("/en/public/recommendations/?theme=rights").content.decode()
    assert f'href="{BASE}/en/public/recommendations/?theme=rights"' in listed


def test_a_page_that_is_not_there_has_no_canonical_address(site_on):
    response = Client().get("/en/public/recommendations/NO-SUCH/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'rel="canonical"' not in body
    assert '<meta name="robots" content="noindex">' in body
    assert "No public recommendation with code NO-SUCH." in body
    assert Client().get("/en/public/actors/nobody/").status_code == 404
    assert Client().get("/en/public/report/chapters/XX/").status_code == 404
    assert Client().get("/en/public/report/paragraphs/999/").status_code == 404


def test_the_sitemap_lists_every_public_page_on_public_base_url(site_on, base_url, users):
    publication.withhold(
        user=users["coordinator"],
        recommendation=Recommendation.objects.get(code="R24.1"),
        reason="x",
    )
    client = Client(HTTP_HOST="attacker.example.net")
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert sections == [
        f"{BASE}/sitemap-{name}.xml" for name in ("pages", "recommendations", "actors", "report")
    ]
    urls = []
    for section in sections:
        response = client.get(section.removeprefix(BASE))
        assert response["Content-Type"] == "application/xml"
        urls += [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    # Every page in each of the six languages.
    languages = [code for code, _name in settings.LANGUAGES]
    assert {url.removeprefix(f"{BASE}/").split("/")[0] for url in urls} == set(languages)
    assert all(url.split("/", 4)[4].startswith("public/") for url in urls)
    for code in languages:
        assert f"{BASE}/{code}/public/recommendations/{LINE_REC}/" in urls
        assert f"{BASE}/{code}/public/recommendations/R24.1/" not in urls
        assert f"{BASE}/{code}/public/actors/{LINE_ACTOR}/" in urls
        assert f"{BASE}/{code}/public/report/chapters/VI/" in urls
    public = Recommendation.objects.current().exclude(code="R24.1").exclude(restates__code="R24.1")
    assert sum("/public/recommendations/R" in url for url in urls) == public.count() * 6
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {BASE}/sitemap.xml" in robots
    for code in languages:
        assert f"Allow: /{code}/public/" in robots
    assert "Allow: /public/" in robots  # the addresses without a language redirect
    assert "Disallow: /\n" in robots


def test_the_list_takes_the_staff_lists_filters_search_and_sort_in_the_url(site_on, record):
    record(publish=True, status="implemented")
    client = Client()
    body = client.get(
        "/en/public/recommendations/?q=crisis&status=implemented&sort=title"
    ).content.decode()
    assert "1 recommendation" in body
    assert f"/en/public/recommendations/{LINE_REC}/" in body
    assert 'name="mine"' not in body
    for name in ("q", "theme", "agenda", "actor", "status", "chapter", "paragraph", "kind", "sort"):
        assert f'name="{name}"' in body, name
    assert client.get("/en/public/recommendations/?paragraph=abc").status_code == 400
    assert client.get("/en/public/recommendations/?after=broken&sort=title").status_code == 400
    by_paragraph = client.get("/en/public/recommendations/?paragraph=30&kind=all").content.decode()
    assert "/en/public/recommendations/R30a/" in by_paragraph
    first = client.get("/en/public/recommendations/?kind=all").content.decode()
    assert 'rel="next"' in first
    assert "page=2" in first
    assert client.get("/en/public/recommendations/?kind=all&page=2").status_code == 200


def test_a_recommendation_shows_each_actors_status_and_published_notes_never_who(
    site_on, users, record
):
    record(note="Published note.", publish=True, links=["https://example.org/evidence"])
    body = Client().get(f"/en/public/recommendations/{LINE_REC}/").content.decode()
    assert '<blockquote class="verbatim"><p lang="en" dir="ltr">' in body
    assert "Civil society organizations and NGOs" in body
    assert "In progress" in body
    assert "since 10 Jan 2014" in body
    assert "Published note." in body
    assert 'href="https://example.org/evidence"' in body
    assert "Recorded by" not in body
    assert "Coordinator" not in body
    assert f'href="/recommendations/{LINE_REC}/"' in body  # the staff view, for staff


def test_an_actors_page_says_what_was_asked_of_it_and_how_far_it_has_come(site_on, record):
    record(status="planned")
    body = Client().get(f"/en/public/actors/{LINE_ACTOR}/").content.decode()
    assert "What was asked of Civil society organizations and NGOs, and how far it has come" in body
    assert f"/en/public/recommendations/{LINE_REC}/#line-" in body
    assert "Planned" in body
    ilo = Client().get("/en/public/actors/ilo/").content.decode()
    assert "only mention it" in ilo  # the ILO is mentioned in the labour chapter
    actors = Client().get("/en/public/actors/").content.decode()
    assert f'href="/en/public/actors/{LINE_ACTOR}/"' in actors


def test_the_report_reader_reads_chapter_by_chapter_with_the_public_recommendations(site_on):
    client = Client()
    index = client.get("/en/public/report/").content.decode()
    assert 'href="/en/public/report/chapters/V/"' in index
    chapter = client.get("/en/public/report/chapters/V/").content.decode()
    assert 'id="p30"' in chapter
    assert 'href="/en/public/recommendations/R30a/"' in chapter
    paragraph = client.get("/en/public/report/paragraphs/30/")
    assert paragraph.status_code == 302
    assert paragraph["Location"] == "/en/public/report/chapters/V/#p30"


def test_staff_pages_link_to_the_public_ones_only_while_the_site_is_on(users):
    client = Client()
    assert client.login(username=f"viewer-{SECRET}", password=PASSWORD)
    pages = {
        "/": 'href="/en/public/"',
        "/recommendations/?theme=rights&mine=on": 'href="/en/public/recommendations/?theme=rights"',
        f"/recommendations/{LINE_REC}/": f'href="/en/public/recommendations/{LINE_REC}/"',
    }
    for url, link in pages.items():
        assert link not in client.get(url).content.decode(), url
    assert not PublicSite.objects.exists()  # staff pages only read the switch
    publication.site_set(user=users["coordinator"], is_on=True)
    for url, link in pages.items():
        assert link in client.get(url).content.decode(), url
