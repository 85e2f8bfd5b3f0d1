"""Who may call what: every endpoint and method by caller (anonymous with the public site
off and on, each role's token, a read-only token, revoked, expired, a deactivated user's),
answered as the documented problems."""

import datetime
import json

import pytest
import time_machine
from django.test import Client
from django.urls import resolve
from django.utils import timezone

from tracker.api.models import ApiToken

from .conftest import bearer

pytestmark = pytest.mark.django_db

# Every GET endpoint; {line} and {update} are filled in by the test.
READS = [
    "/api/v1/", "/api/v1/problems/", "/api/v1/chapters/", "/api/v1/chapters/V/",
    "/api/v1/paragraphs/", "/api/v1/paragraphs/30/", "/api/v1/recommendations/",
    "/api/v1/recommendations/R30a/", "/api/v1/actors/", "/api/v1/actors/ilo/",
    "/api/v1/themes/", "/api/v1/themes/labour/", "/api/v1/agenda-points/",
    "/api/v1/agenda-points/recruitment/", "/api/v1/gcm-objectives/",
    "/api/v1/gcm-objectives/gcm-6/", "/api/v1/sdg-targets/", "/api/v1/sdg-targets/sdg-10-7/",
    "/api/v1/lines/", "/api/v1/lines/{line}/", "/api/v1/lines/{line}/updates/",
    "/api/v1/status-updates/", "/api/v1/status-updates/{update}/", "/api/v1/rollups/",
]  # fmt: skip
STAFF = ["viewer", "focal-point", "coordinator"]
BROKEN = ["revoked", "expired", "deactivated"]


@pytest.fixture
def published(own_line, record):
    return record(own_line, publish=True)


@pytest.fixture
def callers(token_of, staff):
    """Caller name -> a test client."""

    def broken(kind):
        plain = token_of("viewer" if kind != "deactivated" else "leaver")
        token = ApiToken.objects.get(prefix=plain[:12])
        if kind == "revoked":
            token.revoked_at = timezone.now()
            token.save()
        elif kind == "expired":
            ApiToken.objects.filter(pk=token.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=40),
                expires_at=timezone.now() - datetime.timedelta(seconds=1),
            )
        else:
            token.user.is_active = False
            token.user.save()
        return bearer(plain)

    found = {"anonymous": Client()}
    found.update({role: bearer(token_of(role)) for role in STAFF})
    found["read-only"] = bearer(token_of("coordinator", scope="read"))
    found.update({kind: broken(kind) for kind in BROKEN})
    return found


def _urls(own_line, published):
    return [url.format(line=own_line.pk, update=published.pk) for url in READS]


def test_the_matrix_covers_every_api_address(own_line, published):
    from tests.test_pages import url_names
    from tracker.api import urls

    walked = {resolve(url).url_name for url in _urls(own_line, published)}
    # The schema and docs (test_reads.py), the token pages (test_tokens.py).
    elsewhere = {"api-schema", "api-docs", "api-token-new", "api-token-revoke"}
    assert url_names(urls.urlpatterns) - walked - elsewhere == set()


def _problem(response, status, slug):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith(f"/api/v1/problems/#{slug}")
    assert body["status"] == status
    return body


def test_anonymous_callers_read_nothing_while_the_public_site_is_off(callers, own_line, published):
    for url in _urls(own_line, published):
        response = callers["anonymous"].get(url)
        _problem(response, 401, "public-site-off")
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_every_read_answers_anonymous_callers_once_the_site_is_on_and_every_staff_role(
    callers, own_line, published, site_on
):
    for url in _urls(own_line, published):
        for name in ["anonymous", *STAFF, "read-only"]:
            response = callers[name].get(url)
            assert response.status_code == 200, (name, url, response.content)
            assert response["Content-Type"] == "application/json"
            assert response["ETag"]


@pytest.mark.parametrize("kind", BROKEN)
def test_a_revoked_expired_or_deactivated_token_is_refused_everywhere_saying_why(
    callers, own_line, published, site_on, kind
):
    reasons = {"revoked": "revoked", "expired": "expired", "deactivated": "deactivated"}
    for url in _urls(own_line, published):
        body = _problem(callers[kind].get(url), 401, "token-invalid")
        assert reasons[kind] in body["detail"]


def _post(client, line, **fields):
    line.refresh_from_db()
    body = {"status": "planned", "note": "Budget line agreed.", "effective_date": "2015-02-01",
            "version": line.update_count, **fields}  # fmt: skip
    return client.post(
        f"/api/v1/lines/{line.pk}/updates/", json.dumps(body), content_type="application/json"
    )


@pytest.mark.parametrize(
    ("caller", "own", "other"),
    [
        ("anonymous", (401, "not-authenticated"), (401, "not-authenticated")),
        ("viewer", (403, "forbidden"), (403, "forbidden")),
        ("focal-point", (201, None), (403, "forbidden")),
        ("coordinator", (201, None), (201, None)),
        ("read-only", (403, "read-only-token"), (403, "read-only-token")),
        ("revoked", (401, "token-invalid"), (401, "token-invalid")),
        ("expired", (401, "token-invalid"), (401, "token-invalid")),
        ("deactivated", (401, "token-invalid"), (401, "token-invalid")),
    ],
)
def test_who_may_record_a_status_update(callers, own_line, other_line, site_on, caller, own, other):
    """The focal point reports for the ILO: its own line, not civil society's."""
    for line, (status, slug) in ((own_line, own), (other_line, other)):
        before = line.update_count
        response = _post(callers[caller], line)
        line.refresh_from_db()
        if slug is None:
            assert response.status_code == 201, response.content
            assert line.update_count == before + 1
        else:
            _problem(response, status, slug)
            assert line.update_count == before


def test_no_other_method_is_answered_anywhere(callers, own_line, published, site_on):
    for url in _urls(own_line, published):
        for name in ("anonymous", *STAFF, "read-only"):
            for method in ("put", "patch", "delete", "options"):
                response = getattr(callers[name], method)(url)
                _problem(response, 405, "method-not-allowed")
                assert "GET" in response["Allow"]
        if not url.endswith("/updates/") or "/lines/" not in url:
            _problem(callers["coordinator"].post(url, "{}", content_type="application/json"),
                     405, "method-not-allowed")  # fmt: skip


def test_a_session_reads_as_its_role_and_writes_only_with_the_csrf_token(staff, own_line, site_on):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff["focal-point"])
    assert browser.get(f"/api/v1/lines/{own_line.pk}/").json()["can_record"] is True
    _problem(_post(browser, own_line), 403, "forbidden")
    assert own_line.updates.count() == 0


def test_a_token_in_the_query_string_is_refused_even_a_working_one(token_of, site_on):
    plain = token_of("coordinator")
    for query in (f"?token={plain}", f"?access_token={plain}", f"?q={plain}", "?api_key=x"):
        body = _problem(Client().get(f"/api/v1/recommendations/{query}"), 400, "token-in-query")
        assert "Authorization" in body["detail"]
        assert plain not in json.dumps(body)


def test_a_token_expires_at_its_date(token_of, site_on):
    plain = token_of("viewer", days=30)
    client = bearer(plain)
    assert client.get("/api/v1/").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30, seconds=1)):
        _problem(client.get("/api/v1/"), 401, "token-invalid")


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer a b", "Bearer htk_nothing", "Bearer " + "htk_" + "x" * 43]
)
def test_a_malformed_or_unknown_token_is_refused(site_on, header):
    _problem(Client(HTTP_AUTHORIZATION=header).get("/api/v1/"), 401, "token-invalid")
