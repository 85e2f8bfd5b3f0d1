"""Personal API tokens: made and revoked on the preferences page (shown once, only a
SHA-256 kept, audited), printed by `manage.py api_token`, and their last use written at
most once a minute."""

import datetime
import hashlib
import io

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tracker.api.models import ApiToken

from .conftest import bearer

pytestmark = pytest.mark.django_db


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_token_is_made_on_the_preferences_page_shown_once_and_only_its_hash_kept(staff):
    client = _logged_in(staff["focal-point"])
    page = client.get("/preferences/")
    assert b"API tokens" in page.content
    assert b"You have no API token." in page.content
    made = client.post(
        "/preferences/api-tokens/new/",
        {"name": "NRTD sync", "scope": "read-write", "days": "90"},
    )
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    plain = made.context["plain"]
    assert plain.startswith("htk_")
    assert plain.encode() in made.content
    token = ApiToken.objects.get(user=staff["focal-point"])
    assert token.key_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert token.name == "NRTD sync"
    assert token.scope == "read-write"
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=90)).date()
    assert plain not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    # Afterwards the page lists it by its first characters, never in full.
    listed = client.get("/preferences/").content.decode()
    assert token.prefix in listed
    assert plain not in listed
    assert "NRTD sync" in listed
    assert bearer(plain).get("/api/v1/lines/").status_code == 200
    entry = LogEntry.objects.get_for_object(token).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == staff["focal-point"]
    assert "key_hash" not in entry.changes_dict


def test_a_token_form_with_no_name_comes_back_with_the_reason(staff):
    client = _logged_in(staff["viewer"])
    answer = client.post("/preferences/api-tokens/new/", {"name": "  ", "scope": "read"})
    assert answer.status_code == 200
    assert "plain" not in answer.context
    assert answer.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_revoking_on_the_page_stops_the_token_and_is_audited(staff, token_of):
    plain = token_of("viewer")
    token = ApiToken.objects.get()
    client = _logged_in(staff["viewer"])
    assert client.post(f"/preferences/api-tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert bearer(plain).get("/api/v1/").status_code == 401
    revoked = LogEntry.objects.get_for_object(token).filter(action=LogEntry.Action.UPDATE).get()
    assert set(revoked.changes_dict) == {"revoked_at"}
    assert revoked.actor == staff["viewer"]
    assert "revoked on" in client.get("/preferences/").content.decode()


def test_nobody_revokes_another_users_token_nor_reaches_the_pages_without_login(staff, token_of):
    token_of("viewer")
    token = ApiToken.objects.get()
    other = _logged_in(staff["coordinator"])
    assert other.post(f"/preferences/api-tokens/{token.pk}/revoke/").status_code == 403
    assert other.get(f"/preferences/api-tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
    anonymous = Client().get("/preferences/api-tokens/new/")
    assert anonymous.status_code == 302
    assert "/auth/login/" in anonymous["Location"]


def test_the_command_prints_a_token_for_scripts_and_refuses_what_it_cannot_make(staff):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api_token", "Coordinator", "--name", "IMRF export", "--scope", "read-write",
        stdout=out, stderr=err,
    )  # fmt: skip
    plain = out.getvalue().strip()
    assert plain.startswith("htk_")
    assert "not shown again" in err.getvalue()
    token = ApiToken.objects.get(user=staff["coordinator"])
    assert token.can_write
    assert token.name == "IMRF export"
    assert bearer(plain).get("/api/v1/lines/").status_code == 200
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "nobody", "--name", "x", stdout=out)
    with pytest.raises(CommandError, match="1 to 365"):
        call_command("api_token", "viewer", "--name", "x", "--days", "400", stdout=out)
    staff["viewer"].is_active = False
    staff["viewer"].save()
    with pytest.raises(CommandError, match="deactivated"):
        call_command("api_token", "viewer", "--name", "x", stdout=out)


def test_the_last_use_is_written_at_most_once_a_minute(token_of, django_assert_num_queries):
    plain = token_of("viewer")
    client = bearer(plain)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/api/v1/")
        first = ApiToken.objects.get().last_used_at
        assert first == start
    with time_machine.travel(start + datetime.timedelta(seconds=59), tick=False):
        client.get("/api/v1/")
        assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        client.get("/api/v1/")
        assert ApiToken.objects.get().last_used_at == start + datetime.timedelta(seconds=61)


def test_a_deactivated_users_tokens_stop_and_work_again_if_the_account_comes_back(staff, token_of):
    plain = token_of("focal-point")
    user = staff["focal-point"]
    user.is_active = False
    user.save()
    assert bearer(plain).get("/api/v1/").json()["detail"] == "This token's account is deactivated."
    user.is_active = True
    user.save()
    assert bearer(plain).get("/api/v1/").status_code == 200


def test_the_token_list_shows_each_state(staff, token_of):
    token_of("viewer", days=1)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        page = _logged_in(staff["viewer"]).get("/preferences/").content.decode()
    assert "expired" in page


def test_a_token_s_request_sets_no_cookie_and_starts_no_session(token_of):
    from django.contrib.sessions.models import Session

    client = bearer(token_of("coordinator"))
    response = client.get("/api/v1/lines/")
    assert response.status_code == 200
    assert not response.cookies
    assert not Session.objects.exists()


def test_coordinators_read_token_creation_and_revocation_on_the_audit_page(staff, token_of):
    token_of("viewer")
    token = ApiToken.objects.get()
    _logged_in(staff["viewer"]).post(f"/preferences/api-tokens/{token.pk}/revoke/")
    page = _logged_in(staff["coordinator"]).get("/audit/?kind=api.apitoken")
    assert page.status_code == 200
    text = page.content.decode()
    assert "viewer script" in text
    assert token.key_hash not in text
    assert len(page.context["page"].object_list) == 2
