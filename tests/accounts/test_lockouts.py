"""Logins under attack (tracker/accounts/lockouts.py): a (user name, address) pair is locked
after LOGIN_FAILURE_LIMIT failures for LOGIN_LOCKOUT_MINUTES; a user name failing from many
addresses is slowed, never locked; lockouts are audited and coordinators unlock them."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tracker import throttles
from tracker.accounts import lockouts
from tracker.models import Profile

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-for-tests-47"
ATTACKER = "203.0.113.9"
ELSEWHERE = "198.51.100.7"
T0 = datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC)
LOCKED_TEXT = "it is locked for 15 minutes"


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def make_user(username, role=None, *, superuser=False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    Profile.objects.create(user=user, role=role or "viewer")
    return user


@pytest.fixture
def coordinator():
    return make_user("coordinator", "coordinator")


def attempt(username, password, address, client=None, **extra):
    client = client or Client()
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )
    response.logged_in = "_auth_user_id" in client.session
    return response


def text(response):
    return response.content.decode()


def fail(times, username="coordinator", address=ATTACKER, clock=None):
    """Wrong passwords; with a clock, a minute apart (past any slow-down of the name)."""
    responses = []
    for i in range(times):
        responses.append(attempt(username, f"wrong-{i}", address))
        if clock is not None:
            clock.shift(datetime.timedelta(seconds=61))
    return responses


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(clock, coordinator):
    responses = fail(30)
    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert all("did not match" in text(r) for r in responses[:4])
    assert {r.status_code for r in responses[4:]} == {429}
    right = attempt("coordinator", PASSWORD, ATTACKER)
    assert right.status_code == 429
    assert not right.logged_in
    # Only the checked passwords counted: the refused ones were never tried.
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 5


def test_the_lockout_page_is_the_styled_login_page_with_the_reason(clock, coordinator):
    response = fail(5)[-1]
    assert response.status_code == 429
    assert "registration/login.html" in [t.name for t in response.templates]
    page = text(response)
    assert LOCKED_TEXT in page
    assert "ask a coordinator to unlock it" in page
    assert 'href="/static/css/app.css"' in page
    assert 'name="username"' in page
    assert 'value="coordinator"' in page
    assert "did not match" not in page


def test_user_names_are_compared_without_regard_to_case(clock, coordinator):
    for name in ["Coordinator", "COORDINATOR", " coordinator", "coordinator", "CoOrdinator"]:
        attempt(name, "wrong", ATTACKER)
    assert attempt("coordinator", PASSWORD, ATTACKER).status_code == 429
    assert AccessAttempt.objects.get().username == "coordinator"


def test_the_right_password_from_another_address_still_logs_in(clock, coordinator):
    fail(30)
    response = attempt("coordinator", PASSWORD, ELSEWHERE)
    assert response.status_code == 302
    assert response.logged_in


def test_a_lockout_ends_after_its_minutes_and_refusals_do_not_extend_it(clock, coordinator):
    fail(5)
    clock.shift(datetime.timedelta(minutes=14))
    assert attempt("coordinator", PASSWORD, ATTACKER).status_code == 429
    clock.shift(datetime.timedelta(minutes=1, seconds=1))
    response = attempt("coordinator", PASSWORD, ATTACKER)
    assert response.status_code == 302
    assert response.logged_in


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(clock, coordinator, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for i in range(5):
        attempt("coordinator", "wrong", ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    forged = attempt("coordinator", PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert forged.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_behind_a_trusted_proxy_the_forwarded_client_is_locked(clock, coordinator, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for i in range(5):
        forwarded = f"192.0.2.{i}, {ATTACKER}"  # a forged left part, then what the proxy saw
        attempt("coordinator", "wrong", proxy, HTTP_X_FORWARDED_FOR=forwarded)
    assert attempt("coordinator", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    other = attempt("coordinator", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert other.status_code == 302


def test_the_admin_login_obeys_the_same_lockout(clock):
    make_user("admin", superuser=True)
    fail(5, username="admin")
    response = Client().post(
        reverse("admin:login"), {"username": "admin", "password": PASSWORD}, REMOTE_ADDR=ATTACKER
    )
    assert response.status_code == 429
    assert LOCKED_TEXT in text(response)


# --- the slow-down per user name ------------------------------------------------------------


def test_failures_from_many_addresses_slow_a_name_down_without_locking_it(clock, coordinator):
    for i in range(5):
        assert "did not match" in text(attempt("coordinator", "wrong", f"192.0.2.{i}"))
    # From the limit on, one attempt per delay: this one takes the turn (1 s)...
    assert "did not match" in text(attempt("coordinator", "wrong", "192.0.2.5"))
    # ...so the right password, from an address that is not locked, waits.
    early = attempt("coordinator", PASSWORD, ELSEWHERE)
    assert early.status_code == 429
    assert "Wait 1 second, then try again." in text(early)
    assert not early.logged_in
    clock.shift(datetime.timedelta(seconds=1, milliseconds=1))
    assert "did not match" in text(attempt("coordinator", "wrong", "192.0.2.6"))
    assert "Wait 2 seconds" in text(attempt("coordinator", PASSWORD, ELSEWHERE)), "it grows"
    clock.shift(datetime.timedelta(seconds=2, milliseconds=1))
    late = attempt("coordinator", PASSWORD, ELSEWHERE)
    assert late.status_code == 302
    assert late.logged_in
    # A refused attempt was counted nowhere: not for the name, not for its address.
    assert not AccessAttempt.objects.filter(ip_address=ELSEWHERE).exists()
    assert throttles.count(lockouts.SCOPE, "coordinator") == 7


def test_the_delay_stops_growing_at_a_minute(clock, coordinator):
    for i in range(30):
        attempt("coordinator", "wrong", f"192.0.2.{i}")
        clock.shift(datetime.timedelta(seconds=61))
    response = attempt("coordinator", PASSWORD, ELSEWHERE)
    assert response.status_code == 302, "a turn every minute at most, whatever the attacker does"


# --- audit, the accounts page and unlocking -------------------------------------------------


def lockout_entries():
    return list(LogEntry.objects.filter(additional_data__event="login-lockout").order_by("pk"))


def test_a_lockout_is_audited_once_on_the_account(clock, coordinator):
    fail(12)
    [entry] = lockout_entries()
    assert entry.object_pk == str(coordinator.pk)
    assert entry.content_type.model == "user"
    assert entry.actor is None
    assert entry.changes_dict["login"] == [
        "allowed",
        f"locked for 15 min after 5 failed logins from {ATTACKER}",
    ]


def test_a_lockout_of_a_name_without_an_account_is_audited_too(coordinator):
    fail(5, username="ghost")  # at the real time: the audit page lists the newest first
    [entry] = lockout_entries()
    assert entry.content_type.model == "accessattempt"
    assert entry.object_repr == "ghost"
    audit = Client()
    audit.force_login(coordinator)
    page = text(audit.get(reverse("audit")))
    assert "ghost" in page
    assert "failed logins" in page


def test_coordinators_see_locked_names_and_unlock_one(clock, coordinator):
    fail(5, address=ATTACKER, clock=clock)
    fail(5, address=ELSEWHERE, clock=clock)
    fail(5, username="ghost")
    client = Client()
    client.force_login(coordinator)
    page = text(client.get(reverse("accounts")))
    assert "Locked user names" in page
    assert f"{ELSEWHERE}, {ATTACKER}" in page or f"{ATTACKER}, {ELSEWHERE}" in page
    assert "ghost" in page
    assert "no such account" in page
    assert "Unlock coordinator" in page

    response = client.post(reverse("account-unlock"), {"username": "Coordinator"}, follow=True)
    assert response.redirect_chain == [(reverse("accounts"), 302)]
    assert "User name Coordinator unlocked." in text(response)
    assert not AccessAttempt.objects.filter(username="coordinator").exists()
    assert AccessAttempt.objects.filter(username="ghost").exists()
    assert throttles.count(lockouts.SCOPE, "coordinator") == 0
    assert attempt("coordinator", PASSWORD, ATTACKER).logged_in

    unlocked = lockout_entries()[-1]
    assert unlocked.actor == coordinator
    assert unlocked.object_pk == str(coordinator.pk)
    assert unlocked.changes_dict["login"] == [f"locked from {ELSEWHERE}, {ATTACKER}", "unlocked"]


def test_the_accounts_page_says_when_nothing_is_locked(coordinator):
    client = Client()
    client.force_login(coordinator)
    assert "No user name is locked." in text(client.get(reverse("accounts")))


ROLES = {
    "anonymous": 302,
    "viewer": 403,
    "focal-point": 403,
    "coordinator": 302,
    "superuser": 302,
}


@pytest.mark.parametrize(("role", "expected"), ROLES.items())
def test_only_coordinators_unlock(clock, coordinator, role, expected):
    users = {
        "viewer": make_user("viewer"),
        "focal-point": make_user("focal", "focal-point"),
        "coordinator": coordinator,
        "superuser": make_user("admin", superuser=True),
    }
    fail(5, username="viewer")
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    response = client.post(reverse("account-unlock"), {"username": "viewer"})
    assert response.status_code == expected
    still_locked = AccessAttempt.objects.filter(username="viewer").exists()
    assert still_locked == (role not in {"coordinator", "superuser"})
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    entries = [e.changes_dict["login"][1] for e in lockout_entries()]
    assert ("unlocked" in entries) == (not still_locked)


def test_unlocking_needs_the_csrf_token_and_a_post(clock, coordinator):
    fail(5)
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert client.post(reverse("account-unlock"), {"username": "coordinator"}).status_code == 403
    assert client.get(reverse("account-unlock"), {"username": "coordinator"}).status_code == 405
    assert AccessAttempt.objects.filter(username="coordinator").exists()
