"""Logs: one JSON object per line with time (UTC), level, logger, message and the request
id; an access line per request; nothing secret in them."""

import datetime
import io
import json
import logging
import re
import sqlite3
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from tests.fresh_django import production_env, run_python
from tracker.models import FollowUpLine, Profile
from tracker.ops.logs import JsonFormatter, TextFormatter

pytestmark = pytest.mark.django_db

PASSWORD = "Pw-only-the-user-knows-41"


class Output:
    """What the app's log handler wrote during the test."""

    def __init__(self, stream):
        self.stream = stream

    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.text().splitlines()]

    def access(self) -> list[dict]:
        return [line for line in self.lines() if line["logger"] == "tracker.access"]


@pytest.fixture
def handler():
    """The handler the settings configure on the root logger (LOGGING's "console")."""
    return next(h for h in logging.getLogger().handlers if h.name == "console")


@pytest.fixture
def log_output(handler):
    """The app's log lines, in the JSON format production uses."""
    stream = io.StringIO()
    previous, formatter = handler.setStream(stream), handler.formatter
    handler.setFormatter(JsonFormatter())
    yield Output(stream)
    handler.setStream(previous)
    handler.setFormatter(formatter)


def make_user(username, role, password=PASSWORD):
    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password=password
    )
    Profile.objects.create(user=user, role=role)
    return user


def test_every_line_is_a_json_object_with_time_level_logger_and_message(client, log_output):
    client.get("/auth/login/")
    logging.getLogger("tracker.test").warning("Something %s", "happened")
    lines = log_output.lines()
    assert [line["logger"] for line in lines][-2:] == ["tracker.access", "tracker.test"]
    for line in lines:
        assert {"time", "level", "logger", "message", "request_id"} <= set(line)
        moment = datetime.datetime.fromisoformat(line["time"])
        assert moment.utcoffset() == datetime.timedelta(0)
        assert line["time"].endswith("Z")
    assert lines[-1]["level"] == "WARNING"
    assert lines[-1]["message"] == "Something happened"
    # Outside a request there is no request id.
    assert lines[-1]["request_id"] is None


def test_each_request_gets_an_id_sent_back_and_an_access_line(client, log_output):
    response = client.get("/auth/login/", {"next": "/recommendations/"})
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [access] = log_output.access()
    assert access["request_id"] == request_id
    assert access["level"] == "INFO"
    assert access["method"] == "GET"
    assert access["path"] == "/auth/login/"
    assert access["status"] == 200
    assert isinstance(access["duration_ms"], float)
    assert access["duration_ms"] >= 0
    assert access["user_id"] is None
    assert "next=" not in log_output.text()


def test_the_access_line_names_the_logged_in_user(client, log_output, loaded_report):
    viewer = make_user("viewer", "viewer")
    client.force_login(viewer)
    assert client.get(reverse("dashboard")).status_code == 200
    [access] = log_output.access()
    assert access["user_id"] == viewer.pk


def test_a_sane_incoming_request_id_is_kept(client, log_output):
    response = client.get("/auth/login/", HTTP_X_REQUEST_ID="lb-7f3a.42_x:1")
    assert response["X-Request-ID"] == "lb-7f3a.42_x:1"
    assert log_output.access()[0]["request_id"] == "lb-7f3a.42_x:1"


@pytest.mark.parametrize("incoming", ["two words", "line\nbreak", "x" * 101, "<script>", ""])
def test_an_insane_incoming_request_id_is_replaced(client, log_output, incoming):
    response = client.get("/auth/login/", HTTP_X_REQUEST_ID=incoming)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert log_output.access()[0]["request_id"] == response["X-Request-ID"]


def test_lines_logged_while_handling_a_request_carry_its_id(client, log_output, loaded_report):
    client.force_login(make_user("viewer", "viewer"))
    response = client.get(reverse("recommendation", args=["R999"]))
    assert response.status_code == 404
    [not_found] = [line for line in log_output.lines() if line["logger"] == "django.request"]
    assert not_found["level"] == "WARNING"
    assert not_found["message"] == "Not Found: /recommendations/R999/"
    assert not_found["request_id"] == response["X-Request-ID"]


def failing_dashboard(*args, **kwargs):
    """A database error whose text carries the values written, as PostgreSQL's do (the
    value is built here so that no source line in the traceback shows it)."""
    value = " ".join(["Secret", "note", "123"])
    try:
        raise sqlite3.IntegrityError(f"UNIQUE constraint failed: note = {value!r}")
    except sqlite3.IntegrityError as cause:
        raise IntegrityError(f"DETAIL: Key (note)=({value}) already exists.") from cause


def test_the_500_page_shows_the_request_id_and_the_log_only_the_error_class(
    log_output, loaded_report
):
    client = Client(raise_request_exception=False)
    client.force_login(make_user("viewer", "viewer"))
    with mock.patch("tracker.selectors.dashboard", failing_dashboard):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    page = response.content.decode()
    assert "quote this reference to support" in page
    assert request_id in page

    [error] = [line for line in log_output.lines() if line["level"] == "ERROR"]
    assert error["logger"] == "django.request"
    assert error["request_id"] == request_id
    assert error["error"] == "django.db.utils.IntegrityError"
    assert "failing_dashboard" in error["traceback"]  # where it was raised
    assert "Secret note" not in log_output.text()
    assert log_output.access()[0]["status"] == 500


def test_passwords_tokens_reset_links_notes_and_queries_never_reach_the_logs(
    client, log_output, loaded_report, mailoutbox
):
    coordinator = make_user("coordinator", "coordinator")
    assert client.post(
        reverse("login"), {"username": "coordinator", "password": PASSWORD}
    ).status_code == 302  # fmt: skip
    line = FollowUpLine.objects.filter(update_count=0).order_by("pk").first()
    note = "Confidential: the minister's private number is 555-0199."
    recorded = client.post(
        reverse("line-update", args=[line.pk]),
        {
            "status": "in-progress",
            "note": note,
            "evidence_links": "https://example.org/evidence",
            "effective_date": "2014-01-10",
            "version": "0",
        },
    )
    assert recorded.status_code == 302
    client.get(reverse("recommendations"), {"q": "words-searched-for"})
    client.post(reverse("logout"))

    client.post(reverse("password_reset"), {"email": coordinator.email})
    link = re.search(r"https?://\S+(/auth/reset/([^/\s]+)/([^/\s]+)/)", mailoutbox[0].body)
    path, uid, token = link.groups()
    form = client.get(path, follow=True)
    new_password = "A-new-password-only-they-know-77"
    client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )

    output = log_output.text()
    for secret in (PASSWORD, new_password, note, token, f"/{uid}/", "words-searched-for"):
        assert secret not in output
    paths = [access["path"] for access in log_output.access()]
    assert "/auth/reset/<redacted>/" in paths
    assert "/recommendations/" in paths
    assert f"/lines/{line.pk}/update/" in paths


def test_the_text_format_is_one_readable_line(client, handler):
    stream = io.StringIO()
    previous, formatter = handler.setStream(stream), handler.formatter
    handler.setFormatter(TextFormatter())
    try:
        response = client.get("/auth/login/", {"next": "/"})
    finally:
        handler.setStream(previous)
        handler.setFormatter(formatter)
    request_id = response["X-Request-ID"]
    pattern = (
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO tracker\.access "
        rf"\[{request_id}\] GET /auth/login/ 200 [\d.]+ms"
    )
    assert re.fullmatch(pattern, stream.getvalue().strip())


@pytest.mark.parametrize(
    ("env", "json_lines"),
    [
        ({}, True),  # production
        ({"LOG_FORMAT": "text"}, False),
        ({"DEBUG": "true"}, False),  # a laptop
        ({"DEBUG": "true", "LOG_FORMAT": "json"}, True),
    ],
)
def test_the_settings_choose_the_format(env, json_lines):
    code = "import logging; logging.getLogger('tracker.probe').warning('probe %s', 'line')"
    result = run_python(code, production_env(**env))
    assert result.returncode == 0, result.stderr
    written = result.stdout.splitlines()  # on stdout
    if json_lines:
        lines = [json.loads(line) for line in written]  # every line
        assert {"level": "WARNING", "logger": "tracker.probe", "message": "probe line"}.items() <= (
            lines[-1].items()
        )
    else:
        assert written[-1].endswith("WARNING tracker.probe [-] probe line")
        assert not written[-1].startswith("{")


def test_an_unknown_log_format_is_a_clear_error():
    result = run_python("", production_env(LOG_FORMAT="xml"))
    assert result.returncode != 0
    assert "LOG_FORMAT must be json or text, not 'xml'" in result.stderr
