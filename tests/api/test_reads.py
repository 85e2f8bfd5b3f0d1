"""Reads: the staff list's filters, search and sorts give the same recommendations as the
page; cursor pages walk every order to its end, once each; as of a date by the reports'
rule; ETags and 304; rate limits; problems for what is refused."""

import datetime

import pytest
from django.test import Client

from tracker.models import FollowUpLine

from .conftest import bearer

pytestmark = pytest.mark.django_db
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def coordinator(token_of):
    return bearer(token_of("coordinator"))


def _walk(client, url) -> list[dict]:
    rows = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        url = body["next"] and body["next"].removeprefix(BASE)
    return rows


QUERIES = [
    "", "theme=labour", "theme=labour&theme=rights&status=no-information", "agenda=recruitment",
    "gcm=gcm-6", "sdg=sdg-10-7&theme=labour", "actor=governments",
    "actor=governments&actor_only=true", "actor=ilo&mentioned=true",
    "chapter=V", "paragraph=30", "kind=all", "kind=restatements", "q=recruitment",
    'q="labour rights" OR trafficking', "q=migrants -women", "sort=title", "sort=-title",
    "sort=status", "sort=-status&theme=rights", "sort=-report&theme=rights",
]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
def test_the_list_s_filters_search_and_sorts_give_what_the_staff_page_gives(
    staff, coordinator, query
):
    page = Client()
    page.force_login(staff["viewer"])
    expected = []
    url = f"/recommendations/?{query}"
    while url:
        listing = page.get(url).context["page"]
        expected += [rec.code for rec in listing.object_list]
        url = f"/recommendations/?{listing.next_query}" if listing.has_next else None
    found = [
        row["code"] for row in _walk(coordinator, f"/api/v1/recommendations/?{query}&limit=20")
    ]
    assert found == expected
    assert found or query.startswith("q=migrants")


def test_every_sort_is_stable_and_cursor_pages_cover_each_row_once(coordinator, record, own_line):
    record(own_line, status="implemented")
    every = {
        row["code"] for row in _walk(coordinator, "/api/v1/recommendations/?kind=all&limit=200")
    }
    for sort in ("report", "-report", "title", "-title", "status", "-status"):
        rows = _walk(coordinator, f"/api/v1/recommendations/?kind=all&sort={sort}&limit=30")
        codes = [row["code"] for row in rows]
        assert len(codes) == len(set(codes)), sort
        assert set(codes) == every, sort


def test_restatements_sort_by_their_main_entry_s_status(coordinator, own_line, record):
    """The staff page sorts both kinds by a status restatements do not have (numbered pages
    only); the API gives them their main entry's, so cursors hold there too."""
    record(own_line, status="implemented")  # R30a: partially implemented
    rows = _walk(coordinator, "/api/v1/recommendations/?kind=all&sort=-status&limit=25")
    statuses = [row["status"] for row in rows]
    assert statuses == sorted(statuses, reverse=True)
    restating = [row for row in rows if row["restates"] == "R30a"]
    assert all(row["status"] == "partially-implemented" for row in restating)


def test_a_cursor_for_another_order_or_a_broken_one_is_refused(coordinator):
    first = coordinator.get("/api/v1/recommendations/?limit=2").json()
    cursor = first["next"].split("cursor=")[1].split("&")[0]
    for query in (f"sort=title&cursor={cursor}", "cursor=bm9wZQ", "cursor=%%%"):
        body = coordinator.get(f"/api/v1/recommendations/?{query}").json()
        assert body["status"] == 400
        assert body["type"].endswith("#bad-cursor")
    for limit in ("0", "201", "many"):
        body = coordinator.get(f"/api/v1/recommendations/?limit={limit}").json()
        assert body["errors"]["limit"]


def test_an_unknown_filter_value_is_refused_by_name(coordinator):
    body = coordinator.get("/api/v1/recommendations/?theme=nope&paragraph=x&sort=size").json()
    assert body["status"] == 400
    assert set(body["errors"]) == {"theme", "paragraph", "sort"}
    body = coordinator.get("/api/v1/lines/?actor=nobody&status=done").json()
    assert set(body["errors"]) == {"actor"}
    body = coordinator.get("/api/v1/lines/?status=done").json()
    assert set(body["errors"]) == {"status"}


def test_the_ilo_s_lines_as_of_a_date_follow_the_reports_rule(coordinator, own_line, record, staff):
    record(own_line, status="planned", effective_date=datetime.date(2014, 3, 1))
    record(own_line, status="in-progress", effective_date=datetime.date(2016, 5, 1))
    url = "/api/v1/lines/?actor=ilo&as_of={}"
    assert coordinator.get(url.format("2013-07-20")).json()["results"][0]["status"] == (
        "no-information"
    )
    line = coordinator.get(url.format("2015-01-01")).json()["results"][0]
    assert (line["status"], line["status_since"], line["as_of"]) == (
        "planned", "2014-03-01", "2015-01-01"
    )  # fmt: skip
    assert coordinator.get(url.format("")).json()["results"][0]["status"] == "in-progress"
    # A line added later by a coordinator is not there before it was followed.
    late = FollowUpLine.objects.get(pk=own_line.pk)
    FollowUpLine.objects.filter(pk=late.pk).update(followed_since=datetime.date(2015, 6, 1))
    assert coordinator.get(url.format("2014-01-01")).json()["results"] == []
    rec = coordinator.get("/api/v1/recommendations/R30a/?as_of=2016-06-01").json()
    assert rec["status"] == "in-progress"
    assert rec["line_counts"]["in-progress"] == 1
    figures = coordinator.get("/api/v1/rollups/?as_of=2014-01-01").json()
    assert figures["lines"]["by_status"]["planned"] == 0  # not followed yet on that date
    # Its first update in effect makes it count from then, however late it was added.
    figures = coordinator.get("/api/v1/rollups/?as_of=2015-01-01").json()
    assert figures["lines"]["by_status"]["planned"] == 1
    labour = next(t for t in figures["themes"] if t["key"] == "labour")
    assert labour["by_status"]["planned"] == 1


@pytest.mark.parametrize(
    "as_of", ["2013-07-14", "2999-01-01", "15/07/2014", "2014-7-1", "yesterday"]
)
def test_an_as_of_date_outside_the_follow_up_or_badly_written_is_refused(coordinator, as_of):
    for url in ("/api/v1/lines/", "/api/v1/recommendations/", "/api/v1/rollups/"):
        body = coordinator.get(f"{url}?as_of={as_of}").json()
        assert body["status"] == 400, url
        assert body["errors"]["as_of"], url


def test_status_filters_as_of_a_date_are_refused_on_the_recommendations(coordinator):
    body = coordinator.get("/api/v1/recommendations/?as_of=2015-01-01&status=planned").json()
    assert body["errors"]["as_of"]


def test_a_staff_read_answers_304_until_something_it_shows_changes(coordinator, own_line, record):
    url = f"/api/v1/lines/{own_line.pk}/"
    first = coordinator.get(url)
    etag = first["ETag"]
    again = coordinator.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    assert first["Cache-Control"] == "private, no-cache"
    record(own_line)
    changed = coordinator.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_an_anonymous_read_answers_304_from_the_public_version_and_a_write_moves_it(
    site_on, own_line, record, django_assert_max_num_queries
):
    client = Client()
    first = client.get("/api/v1/rollups/")
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Authorization" in first["Vary"]
    with django_assert_max_num_queries(2):  # the site's switch, the public version
        assert client.get("/api/v1/rollups/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_assert_max_num_queries(2):  # kept in the shared cache under the ETag
        assert client.get("/api/v1/rollups/").content == first.content
    record(own_line, status="planned")
    moved = client.get("/api/v1/rollups/", HTTP_IF_NONE_MATCH=etag)
    assert moved.status_code == 200
    assert moved["ETag"] != etag
    assert moved.json()["lines"]["by_status"]["planned"] == 1


def test_rates_per_anonymous_client_and_per_token(settings, site_on, token_of):
    settings.API_RATE_ANON, settings.API_RATE_TOKEN = 2, 3
    client = Client()
    assert [client.get("/api/v1/").status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get("/api/v1/")
    body = refused.json()
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert body["retry_after"] == int(refused["Retry-After"])
    other_client = Client(REMOTE_ADDR="192.0.2.7")
    assert other_client.get("/api/v1/").status_code == 200
    first, second = bearer(token_of("viewer")), bearer(token_of("viewer"))
    assert [first.get("/api/v1/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get("/api/v1/").status_code == 200


def test_every_answer_is_json_and_every_error_a_problem(coordinator):
    for url, status in (("/api/v1/recommendations/R999z/", 404), ("/api/v1/nowhere/", 404),
                        ("/api/v1/lines/999999/", 404), ("/api/v1/chapters/XX/", 404)):  # fmt: skip
        response = coordinator.get(url)
        assert response.status_code == status
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["instance"] == url
    # An address no endpoint has, whatever the method (no CSRF page for a POST either).
    strange = Client(enforce_csrf_checks=True).post(
        "/api/v1/lines/-1/updates/", "{}", content_type="application/json"
    )
    assert strange.status_code == 404
    assert strange["Content-Type"] == "application/problem+json"
    refused = coordinator.get("/api/v1/", HTTP_ACCEPT="text/csv")
    assert refused.status_code == 406
    assert refused.json()["type"].endswith("#not-acceptable")


def test_the_schema_and_the_docs_are_served_from_the_app_itself(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = client.get("/api/v1/docs/")
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<style" not in html
    assert "http" not in html.split("<body>")[1]
    policy = docs["Content-Security-Policy"]
    # Directives come in no fixed order: read them by name.
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["style-src"] == "'self'"
    assert "script-src 'self'" in policy
    assert "unsafe" not in policy
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
