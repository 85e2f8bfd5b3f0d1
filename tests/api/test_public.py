"""Anonymous callers read exactly what the public side shows (tracker.publication.visibility):
published notes only, never who recorded, target dates only once published, nothing a
coordinator keeps out of public view."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tracker import services
from tracker.publication import services as publication

from .conftest import bearer
from .test_access import READS

pytestmark = pytest.mark.django_db
MARKER = "zqxmarker"


def _crawl(client, urls) -> str:
    """Every page of every list, followed through `next`, as one text."""
    seen = []
    for url in urls:
        while url:
            response = client.get(url)
            assert response.status_code == 200, (url, response.content)
            seen.append(response.content.decode())
            url = response.json().get("next")
            if url:
                url = url.removeprefix("http://127.0.0.1:8000")
    return "\n".join(seen)


def test_no_private_fact_reaches_any_anonymous_answer(staff, own_line, other_line, record, site_on):
    coordinator = staff["coordinator"]
    User = get_user_model()
    User.objects.filter(pk=coordinator.pk).update(
        first_name=f"{MARKER}first", last_name=f"{MARKER}last", email=f"{MARKER}@example.org"
    )
    coordinator.refresh_from_db()
    public = record(own_line, note="The ministry published its plan.", publish=True)
    record(own_line, note=f"Internal {MARKER}: waiting for the minister.")
    services.line_set_target_date(
        line=other_line, user=coordinator, target_date=datetime.date(2016, 12, 31)
    )
    urls = [u.format(line=own_line.pk, update=public.pk) for u in READS] + [
        "/api/v1/lines/?limit=200",
        "/api/v1/recommendations/?kind=all&limit=200",
        f"/api/v1/lines/{other_line.pk}/",
    ]
    seen = _crawl(Client(), urls)
    assert MARKER not in seen
    assert "2016-12-31" not in seen
    assert "The ministry published its plan." in seen
    assert '"recorded_by":null' in seen
    assert '"recorded_at":null' in seen
    # Staff read it all, the same addresses.
    staff_seen = _crawl(bearer_of(staff, "viewer"), urls)
    assert MARKER in staff_seen
    assert "2016-12-31" in staff_seen


def bearer_of(staff, role):
    from tracker.api import services as tokens

    return bearer(tokens.token_create(user=staff[role], name="t")[1])


def test_target_dates_and_overdue_once_a_coordinator_publishes_them(staff, other_line, site_on):
    services.line_set_target_date(
        line=other_line, user=staff["coordinator"], target_date=datetime.date(2016, 12, 31)
    )
    client = Client()
    line = client.get(f"/api/v1/lines/{other_line.pk}/").json()
    assert line["target_date"] is None
    assert line["overdue"] is None
    for url in ("/api/v1/lines/?overdue=true", "/api/v1/recommendations/?overdue=true"):
        assert client.get(url).json()["errors"]["overdue"]
    publication.site_set(user=staff["coordinator"], target_dates_public=True)
    line = client.get(f"/api/v1/lines/{other_line.pk}/").json()
    assert line["target_date"] == "2016-12-31"
    assert line["overdue"] is True
    overdue = client.get("/api/v1/lines/?overdue=true").json()["results"]
    assert [row["id"] for row in overdue] == [other_line.pk]
    recs = client.get("/api/v1/recommendations/?overdue=true").json()["results"]
    assert [row["code"] for row in recs] == ["R42.1"]


def test_what_a_coordinator_keeps_out_of_view_is_not_found_for_anonymous_callers(
    staff, other_line, own_line, record, site_on
):
    coordinator = staff["coordinator"]
    record(other_line, status="implemented", publish=True)
    rec = other_line.recommendation
    publication.withhold(user=coordinator, recommendation=rec, reason="Reply pending")
    anonymous, viewer = Client(), bearer_of(staff, "viewer")
    for url in (f"/api/v1/recommendations/{rec.code}/", f"/api/v1/lines/{other_line.pk}/"):
        assert anonymous.get(url).status_code == 404
        assert viewer.get(url).status_code == 200
    codes = {
        r["code"] for r in anonymous.get("/api/v1/recommendations/?limit=200").json()["results"]
    }
    assert rec.code not in codes
    assert anonymous.get("/api/v1/status-updates/").json()["results"] == []
    assert viewer.get("/api/v1/status-updates/").json()["results"]


def test_the_public_roll_up_leaves_out_a_line_kept_out_of_view(staff, own_line, record, site_on):
    """R30a has Governments' line and the ILO's: with the ILO's implemented and kept out,
    the public sees R30a by Governments' line alone."""
    record(own_line, status="implemented")
    publication.withhold(user=staff["coordinator"], line=own_line, reason="Sensitive")
    public = Client().get("/api/v1/recommendations/R30a/").json()
    inside = bearer_of(staff, "viewer").get("/api/v1/recommendations/R30a/").json()
    assert inside["status"] == "partially-implemented"
    assert inside["line_counts"]["implemented"] == 1
    assert public["status"] == "no-information"
    assert public["line_counts"]["implemented"] == 0
    figures = Client().get("/api/v1/rollups/").json()
    labour = next(t for t in figures["themes"] if t["key"] == "labour")
    assert labour["by_status"]["partially-implemented"] == 0
    assert figures["lines"]["by_status"]["implemented"] == 0
    staff_figures = bearer_of(staff, "viewer").get("/api/v1/rollups/").json()
    assert staff_figures["recommendations"]["by_status"]["partially-implemented"] == 1


def test_anonymous_mine_is_refused_with_a_reason(site_on):
    body = Client().get("/api/v1/recommendations/?mine=true").json()
    assert body["status"] == 400
    assert body["errors"]["mine"]
    assert json.dumps(Client().get("/api/v1/lines/?mine=true").json()["errors"])
