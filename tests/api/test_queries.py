"""Query counts pinned per endpoint, the same for a page of 5 rows as for 30 (and for an
anonymous caller as for staff): no query per row."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tracker.models import FollowUpLine

from .conftest import bearer

pytestmark = pytest.mark.django_db

# The endpoint's own queries, for staff and for anonymous callers. Staff add 1 (the token,
# with its user and profile); anonymous callers 2 (the site's switch, the public version;
# the answer is then kept in the shared cache, in memory in the tests).
ENDPOINTS = {
    # the page's rows, then sections and paragraphs (two prefetches)
    "/api/v1/chapters/": (3, 3),
    # rows (with chapter and section), their recommendations' codes
    "/api/v1/paragraphs/": (2, 2),
    # rows, groups, members
    "/api/v1/actors/": (3, 3),
    "/api/v1/themes/": (1, 1),
    "/api/v1/agenda-points/": (1, 1),
    "/api/v1/gcm-objectives/": (1, 1),
    "/api/v1/sdg-targets/": (1, 1),
    # rows (with paragraph, chapter, theme, progress, the restated entry's progress), then
    # addressees with their actors, mentions, agenda points, objectives, targets,
    # restatements (6 prefetches); anonymous: what is kept out of public view (the public
    # filters'), the page's public lines (the public roll-up)
    "/api/v1/recommendations/?kind=all": (7, 9),
    # as of a date, for everyone: the page's lines then, for the roll-up
    "/api/v1/recommendations/?as_of=2015-01-01": (8, 9),
    # rows with recommendation and actor; staff: the focal point's actors (can_record)
    "/api/v1/lines/": (2, 1),
    "/api/v1/lines/?as_of=2015-01-01": (2, 1),
    # ... the actor named and the actors it means
    "/api/v1/lines/?actor=governments": (4, 3),
    # rows (with line, recommendation, actor, recorder, publication), their files
    "/api/v1/status-updates/": (2, 2),
}


@pytest.fixture
def history(staff, record):
    """An update on 32 lines (published), so that every list has more than 30 rows."""
    lines = list(FollowUpLine.objects.order_by("pk")[:32])
    for line in lines:
        record(line, publish=True)
    return lines


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("url", list(ENDPOINTS))
def test_a_list_costs_the_same_queries_for_5_rows_as_for_30(url, history, token_of, site_on):
    join = "&" if "?" in url else "?"
    staff = bearer(token_of("focal-point"))
    staff.get("/api/v1/")  # the token's first use is written once (then once a minute)
    counts = {
        "staff-5": _count(staff, f"{url}{join}limit=5"),
        "staff-30": _count(staff, f"{url}{join}limit=30"),
        "public-5": _count(Client(), f"{url}{join}limit=5"),
        "public-30": _count(Client(), f"{url}{join}limit=30"),
    }
    staff_own, public_own = ENDPOINTS[url]
    assert counts == {
        "staff-5": 1 + staff_own,
        "staff-30": 1 + staff_own,
        "public-5": 2 + public_own,
        "public-30": 2 + public_own,
    }


# One row, or the figures: (staff, anonymous), as above.
ONES = {
    "/api/v1/recommendations/R30a/": (7, 8),
    "/api/v1/lines/{line}/": (2, 1),
    "/api/v1/lines/{line}/updates/": (3, 3),  # the line, then its updates and their files
    "/api/v1/status-updates/{update}/": (2, 2),
    # the tallies, the four groups' rows; anonymous: and what is kept out of public view
    "/api/v1/rollups/": (5, 6),
    # as of a date: the lines then, each group's members (4), the groups' rows (4)
    "/api/v1/rollups/?as_of=2015-01-01": (9, 9),
}


@pytest.mark.parametrize("pattern", list(ONES))
def test_a_row_or_the_figures_cost_a_pinned_number_of_queries(pattern, history, token_of, site_on):
    url = pattern.format(line=history[0].pk, update=history[0].updates.get().pk)
    staff = bearer(token_of("focal-point"))
    staff.get("/api/v1/")
    staff_own, public_own = ONES[pattern]
    assert (_count(staff, url), _count(Client(), url)) == (1 + staff_own, 2 + public_own)
