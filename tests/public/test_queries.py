"""Every public page reads a constant number of queries, whatever the rows: pinned here
with the cache off (DummyCache), so each request renders; the throttle then costs none.

Every page begins with 1 the switch (PublicSite) and 2 the version (its shards' sum), in
serving.public_view; those two are all a 304 or a cached page costs."""

import datetime

import pytest
from django.test import Client

from hearings.models import Actor, Recommendation
from tracker import services
from tracker.evidence import uploads
from tracker.models import FollowUpLine
from tracker.publication import services as publication

from ..evidence import samples
from .conftest import LINE_REC

pytestmark = pytest.mark.django_db

MEMBER_STATES = ["mex", "bra", "fra", "deu", "phl"]
# shares.withheld() with something withheld: 1 the Withholding rows, 2 the lines of the
# recommendations they touch, 3 those recommendations' counted figures.
WITHHELD = 3

PAGES = [
    # 3-5 withheld, 6 the tallies, 7 themes, 8 the actors with lines, 9 agenda points,
    # 10 GCM objectives, 11 SDG targets, 12 the latest published notes with line,
    # recommendation and actor
    ("/en/public/", 12),
    # 3-5 withheld, 6 the tallies (the count), 7 the page's ids, 8 those rows, 9 their
    # addressees, 10 their agenda points, 11-16 the filter form's choices (themes, agenda
    # points, GCM objectives, SDG targets, actors, chapters)
    ("/en/public/recommendations/", 16),
    # + the theme looked up when the filter is validated
    ("/en/public/recommendations/?theme=labour&status=no-information&sort=status", 17),
    # + the actor looked up, its members (filters.actor_ids_meant), its public lines'
    # recommendations (filters.with_lines_of), the count (up to paging.COUNT_CAP); no tallies
    ("/en/public/recommendations/?q=crisis&actor=civil-society", 19),
    # 3 the recommendation, 4 addressee links, 5 their actors, 6 mentioned actors, 7 agenda
    # points, 8 GCM tags with their objectives, 9 SDG tags with their targets, 10 public
    # restatements, 11 public lines with actor, 12 their published updates, 13 those
    # updates' files not withdrawn, 14-16 withheld
    (f"/en/public/recommendations/{LINE_REC}/", 16),
    # 3-5 withheld, 6 the tallies, 7 the actors with lines
    ("/en/public/actors/", 7),
    # 3 the actor, 4-6 withheld, 7 the tallies (the count), 8 the actor's lines named by
    # id (selectors.actor_lines), 9 the page's line ids, 10 those lines with
    # recommendation, theme and paragraph, 11 the mentions counted
    ("/en/public/actors/governments/", 11),
    # 3 public recommendations per paragraph, 4 each paragraph's chapter, 5 chapters with
    # paragraphs counted, 6 sections
    ("/en/public/report/", 6),
    # 3 the chapter, 4 its paragraphs with section, 5-16 each paragraph's first public
    # recommendations (the report's 12 paragraphs in chapter VI), 17-19 withheld, 20 the
    # chapters around it
    ("/en/public/report/chapters/VI/", 20),
    # 3 public recommendations counted (pages of the recommendations' section), 4-6
    # withheld, 7 the tallies, 8 the actors' keys, 9 chapters
    ("/sitemap.xml", 9),
    # 3 counted, 4 the page's codes
    ("/sitemap-recommendations.xml", 4),
    ("/robots.txt", 2),
]


@pytest.fixture
def no_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def public_rows(site_on, users, record, line):
    """One of everything a public page reads: a published note with a file and a link, a
    withheld recommendation and a withheld line."""
    coordinator = users["coordinator"]
    pdf = samples.upload("report.pdf", samples.pdf())
    record(publish=True, links=["https://example.org/a"], files=uploads.check_uploads([pdf]))
    publication.withhold(
        user=coordinator, recommendation=Recommendation.objects.get(code="R24.1"), reason="a"
    )
    publication.withhold(
        user=coordinator,
        line=FollowUpLine.objects.get(recommendation__code="R30a", actor__key="governments"),
        reason="b",
    )


def grow(users, record):
    """More of everything: Member States' lines, published and private notes with files,
    more withheld recommendations and lines."""
    coordinator = users["coordinator"]
    added = []
    for code in (LINE_REC, "R30a", "R30b"):
        rec = Recommendation.objects.get(code=code)
        for key in MEMBER_STATES:
            added.append(
                services.line_add(
                    recommendation=rec, actor=Actor.objects.get(key=key), user=coordinator
                )
            )
    targets = list(FollowUpLine.objects.filter(recommendation__code=LINE_REC)) + added[5:9]
    for i, target in enumerate(targets * 2):
        pdf = samples.upload(f"report-{i}.pdf", samples.pdf())
        record(
            on=target,
            publish=i % 2 == 0,
            status=["planned", "in-progress", "implemented"][i % 3],
            day=datetime.date(2014, 2, 1) + datetime.timedelta(days=i),
            files=uploads.check_uploads([pdf]),
        )
    for code in ("R20.2", "R38.1"):
        publication.withhold(
            user=coordinator, recommendation=Recommendation.objects.get(code=code), reason="c"
        )
    for target in added[10:13]:
        publication.withhold(user=coordinator, line=target, reason="d")


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_public_page_queries_do_not_grow_with_rows(
    public_rows, no_cache, users, record, django_assert_num_queries, url, queries
):
    client = Client()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    grow(users, record)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    if "recommendations/?" in url:
        assert 'class="rec-row"' in response.content.decode()  # rows were read


def test_with_nothing_withheld_a_page_reads_one_query_for_it(
    site_on, no_cache, django_assert_num_queries
):
    # The dashboard less the two reads of what is withheld (3 then become 1).
    with django_assert_num_queries(12 - WITHHELD + 1):
        assert Client().get("/en/public/").status_code == 200
