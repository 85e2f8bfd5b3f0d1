"""Recording a status update through the API: the update form's service and rules, the
line's version for stale writes (409 with what was recorded since), nothing else."""

import datetime
import json

import pytest
from django.utils import timezone

from tracker.forms import StatusUpdateForm
from tracker.models import StatusUpdate
from tracker.publication.models import NotePublication

from .conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal(token_of):
    return bearer(token_of("focal-point"))


def _post(client, line, body=None, **fields):
    line.refresh_from_db()
    data = {"status": "planned", "note": "Budget line agreed.", "effective_date": "2015-02-01",
            "version": line.update_count, **fields}  # fmt: skip
    return client.post(
        f"/api/v1/lines/{line.pk}/updates/",
        body if body is not None else json.dumps(data),
        content_type="application/json",
    )


def test_an_update_is_recorded_as_the_form_records_it(focal, own_line, staff):
    response = _post(
        focal, own_line, note="Line one\r\nline two ", evidence_links=["https://example.org/plan"],
        publish=True,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == body["url"]
    update = StatusUpdate.objects.get(pk=body["id"])
    assert update.recorded_by == staff["focal-point"]
    assert update.note == "Line one\nline two"
    assert update.evidence_links == ["https://example.org/plan"]
    assert NotePublication.objects.filter(update=update).exists()
    own_line.refresh_from_db()
    assert (own_line.status, own_line.update_count) == ("planned", 1)
    assert own_line.recommendation.progress.status == "planned"
    line = focal.get(f"/api/v1/lines/{own_line.pk}/").json()
    assert line["version"] == 1
    assert line["current_update"] == update.pk


def test_a_correction_names_an_update_of_the_same_line(focal, own_line, other_line, record):
    first = record(own_line)
    elsewhere = record(other_line)
    assert _post(focal, own_line, corrects=first.pk).status_code == 201
    refused = _post(focal, own_line, corrects=elsewhere.pk).json()
    assert refused["errors"]["corrects"] == ["Not an update of this line."]


def test_a_stale_version_is_answered_409_with_what_was_recorded_since(focal, own_line, record):
    seen = own_line.update_count
    newer = record(own_line, note="Recorded meanwhile by the coordinator.")
    response = _post(focal, own_line, version=seen)
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("#stale-line")
    assert body["current_version"] == seen + 1
    assert [u["id"] for u in body["newer_updates"]] == [newer.pk]
    assert body["newer_updates"][0]["recorded_by"]["username"] == "coordinator"
    assert own_line.updates.count() == 1
    # Sent again with the version now seen, it is recorded.
    assert _post(focal, own_line, version=body["current_version"]).status_code == 201


def _form_errors(data, line) -> dict:
    form = StatusUpdateForm(
        {**data, "evidence_links": "\n".join(data.get("evidence_links", []))}, line=line
    )
    assert not form.is_valid()
    return form.errors


TOMORROW = (timezone.now() + datetime.timedelta(days=3)).date().isoformat()
REFUSED = [
    ("note", {"note": "   "}),
    ("note", {"note": "Tab\tok but NUL \x00 is not"}),
    ("evidence_links", {"evidence_links": ["javascript:alert(1)"]}),
    ("evidence_links", {"evidence_links": [f"https://example.org/{n}" for n in range(21)]}),
    ("effective_date", {"effective_date": "2013-07-14"}),
    ("effective_date", {"effective_date": TOMORROW}),
    ("status", {"status": "done"}),
]


@pytest.mark.parametrize(("field", "change"), REFUSED)
def test_what_the_update_form_refuses_the_api_refuses_beside_the_same_field(
    focal, own_line, field, change
):
    data = {"status": "planned", "note": "ok", "effective_date": "2015-02-01",
            "version": 0, **change}  # fmt: skip
    body = _post(focal, own_line, json.dumps(data)).json()
    assert body["status"] == 400
    assert body["type"].endswith("#invalid-request")
    assert list(body["errors"]) == [field]
    form = _form_errors(data, own_line)
    assert field in form
    if field in {"note", "effective_date"} and change[field] != "   ":
        assert set(body["errors"][field]) <= set(form[field])
    assert own_line.updates.count() == 0


@pytest.mark.parametrize(
    ("body", "content_type", "status", "slug"),
    [
        ("{not json", "application/json", 400, "malformed-body"),
        ("[1, 2]", "application/json", 400, "invalid-request"),
        ("status=planned", "application/x-www-form-urlencoded", 415, "unsupported-media-type"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(
    focal, own_line, body, content_type, status, slug
):
    response = focal.post(f"/api/v1/lines/{own_line.pk}/updates/", body, content_type=content_type)
    assert response.status_code == status
    assert response.json()["type"].endswith(f"#{slug}")


def test_a_closed_line_takes_no_update(token_of, own_line):
    coordinator = bearer(token_of("coordinator"))
    rec = own_line.recommendation
    type(rec).objects.filter(pk=rec.pk).update(withdrawn_at=timezone.now())
    assert _post(coordinator, own_line).json()["type"].endswith("#forbidden")
    missing = coordinator.post(
        "/api/v1/lines/999999/updates/", "{}", content_type="application/json"
    )
    assert missing.status_code == 404
