"""Sessions end after SESSION_IDLE_MINUTES without a request, and are written at most once a
minute to push that expiry forward (tracker/accounts/sessions.py)."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC)
PAGE = "preferences"


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def user():
    return get_user_model().objects.create_user("focal", "focal@example.org", "pw-for-tests-91")


def open_page(client):
    return client.get(reverse(PAGE))


def session_writes(queries):
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def test_an_active_user_stays_logged_in_for_hours(clock, client, user):
    client.force_login(user)
    for _ in range(6):  # a request every 50 minutes, five hours in all
        clock.shift(datetime.timedelta(minutes=50))
        assert open_page(client).status_code == 200


def test_an_idle_user_is_logged_out(clock, client, user):
    client.force_login(user)
    assert open_page(client).status_code == 200
    clock.shift(datetime.timedelta(minutes=61))
    response = open_page(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_idle_rule_holds_whatever_the_session_store_keeps(clock, client, user, settings):
    settings.SESSION_IDLE_MINUTES = 30  # the stored session itself would last 60
    client.force_login(user)
    assert open_page(client).status_code == 200
    clock.shift(datetime.timedelta(minutes=29))
    assert open_page(client).status_code == 200
    clock.shift(datetime.timedelta(minutes=31))
    response = open_page(client)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    login = client.get(response["Location"])
    assert "You were logged out after 30 minutes without activity." in login.content.decode()


def test_two_requests_within_a_minute_write_the_session_once(clock, client, user):
    client.force_login(user)  # the login writes the session, with the time of the login
    with CaptureQueriesContext(connection) as queries:
        open_page(client)
    assert session_writes(queries.captured_queries) == [], "just logged in: nothing to push"

    clock.shift(datetime.timedelta(seconds=60))
    with CaptureQueriesContext(connection) as queries:
        open_page(client)
        expiry = Session.objects.get().expire_date
        clock.shift(datetime.timedelta(seconds=59))
        open_page(client)
    assert len(session_writes(queries.captured_queries)) == 1
    assert Session.objects.get().expire_date == expiry == T0 + datetime.timedelta(minutes=61)

    clock.shift(datetime.timedelta(seconds=1))
    with CaptureQueriesContext(connection) as queries:
        open_page(client)
    assert len(session_writes(queries.captured_queries)) == 1
    assert Session.objects.get().expire_date == T0 + datetime.timedelta(minutes=62)
