"""Downloads stream in chunks, with a query count that does not grow with the rows, and
every cell follows the project's one cell rule (the exports' shared table of cases)."""

import csv
import datetime
import io

import pytest
from django.db import connection

from hearings.models import Recommendation
from hearings.text import printable
from tracker import services
from tracker.models import FollowUpLine, Status
from tracker.public.opendata import encoding
from tracker.public.opendata.resources import RESOURCES
from tracker.publication import services as publication

from ..reports.cell_cases import CELL_CASES, storable
from .opendata_support import (
    body,
    csv_rows,
    json_rows,
    record,
)

pytest_plugins = ["tests.public.opendata_fixtures"]

# Beside the resource's own queries, public_view reads the site's switch and the public
# version (the throttle and the page cache are in a process-local cache here).
SERVING = 2
# The resource's own: recommendations are three (the restated mains' public lines, the
# public lines in report order, the recommendations with their keys as subqueries);
# every other resource is one.
OWN = dict.fromkeys(RESOURCES, 1) | {"recommendations": 3}


@pytest.fixture
def local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _more_follow_up(user, n):
    """n more published updates, on as many lines (restated mains among them)."""
    lines = FollowUpLine.objects.filter(recommendation__in=Recommendation.objects.main())
    for target in lines.exclude(updates__isnull=False).order_by("pk")[:n]:
        record(user, target, "planned", f"Plan number {target.pk}.", publish=True)


@pytest.mark.parametrize("query", ["", "?as_of=2014-06-01"])
def test_query_counts_do_not_grow_with_the_rows(
    client, opendata_world, opendata_recorder, local_cache, django_assert_num_queries, query
):
    def download_all():
        sizes = {}
        for name in RESOURCES:
            for fmt in ("csv", "json"):
                with django_assert_num_queries(SERVING + OWN[name]):
                    response = client.get(f"/data/{name}.{fmt}{query}")
                    sizes[name, fmt] = len(body(response))
        return sizes

    before = download_all()
    _more_follow_up(opendata_recorder, 40)
    after = download_all()
    assert after["updates", "csv"] > before["updates", "csv"] + 40 * len("Plan number 1.")


def test_a_download_comes_in_chunks(client, opendata_world, opendata_recorder, monkeypatch):
    monkeypatch.setattr(encoding, "CHUNK_BYTES", 2_000)
    for fmt in ("csv", "json"):
        response = client.get(f"/data/recommendations.{fmt}")
        assert response.streaming
        chunks = list(response.streaming_content)
        assert len(chunks) > 10
        # Each chunk is about CHUNK_BYTES: what one row adds past it at most.
        assert max(len(c) for c in chunks) < 2_000 + 3_000
    whole = b"".join(client.get("/data/recommendations.csv").streaming_content)
    assert len(list(csv.DictReader(io.StringIO(whole.decode())))) > 100


@pytest.mark.parametrize(("stored", "cell"), CELL_CASES)
def test_each_csv_cell_follows_the_one_cell_rule(stored, cell):
    assert encoding.csv_cell(stored) == cell


def test_stored_notes_come_out_by_the_cell_rule(
    client, opendata_site, opendata_recorder, monkeypatch
):
    """Each storable case as a published note, as if stored before the text rule (the
    service's check is switched off; every door refuses such text now)."""
    monkeypatch.setattr(services, "validate_safe_text", lambda text: None)
    cases = [c for c in CELL_CASES if c[0] and storable(c[0], connection.vendor)]
    lines = FollowUpLine.objects.filter(recommendation__in=Recommendation.objects.main())
    expected = {}
    for target, (stored, cell) in zip(lines.order_by("pk"), cases, strict=False):
        update = services.status_update_record(
            line_id=target.pk, user=opendata_recorder, status=Status.PLANNED, note=stored,
            effective_date=datetime.date(2014, 1, 1), evidence_links=[], seen_version=0,
        )  # fmt: skip
        publication.note_publish(update=update, user=None)
        expected[update.pk] = (stored, cell)
    assert len(expected) == len(cases)
    in_csv = {int(row["id"]): row["note"] for row in csv_rows(client.get("/data/updates.csv"))}
    in_json = {row["id"]: row["note"] for row in json_rows(client.get("/data/updates.json"))}
    for pk, (stored, cell) in expected.items():
        assert in_csv[pk] == cell, repr(stored)
        # JSON is cleaned the same way but not escaped: no program runs it as a formula.
        assert in_json[pk] == printable(stored), repr(stored)


def test_the_page_and_the_package_read_a_few_rows(
    client, opendata_world, local_cache, django_assert_num_queries
):
    # The site and the version, then the themes and the objectives the page links feeds
    # for; the package reads the report's title for its source.
    with django_assert_num_queries(SERVING + 2):
        assert client.get("/data/").status_code == 200
    with django_assert_num_queries(SERVING + 1):
        assert client.get("/data/datapackage.json?as_of=2014-01-01").status_code == 200
    # A second visit is the shared cache's: no page is rendered again.
    with django_assert_num_queries(SERVING):
        assert client.get("/data/").status_code == 200
