"""/healthz answers a load balancer's probe: up or down, over plain HTTP, by IP, with
no cookie, no login and nothing secret."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache.backends.base import BaseCache
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

SERVER_CACHE = "tests.ops.test_health.ServerCache"


class ServerCache(BaseCache):
    """Stands for a cache server (Redis, Memcached): what it was asked to set and get."""

    values: dict = {}
    down = False

    def __init__(self, location, params):
        super().__init__(params)

    def set(self, key, value, timeout=None, version=None):
        if self.down:
            raise ConnectionError("cache-server.internal:6379 refused the connection")
        self.values[key] = value

    def get(self, key, default=None, version=None):
        return self.values.get(key, default)


@pytest.fixture
def server_cache(settings):
    ServerCache.values, ServerCache.down = {}, False
    settings.CACHES = {"default": {"BACKEND": SERVER_CACHE}}
    return ServerCache


def test_up_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"


def test_head_answers_without_a_body(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


def test_only_get_and_head(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_down_when_the_database_does_not_answer(client, caplog):
    error = OperationalError('could not connect to server "db-secret.internal"')
    with mock.patch.object(connection, "cursor", side_effect=error):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert b"db-secret" not in response.content
    # Logged by its class, never its text.
    assert "the database does not answer (OperationalError)" in caplog.text
    assert "db-secret" not in caplog.text


def test_no_cookie_is_set_even_for_a_logged_in_browser(client):
    user = get_user_model().objects.create_user("probe", password="pw-for-tests")
    client.force_login(user)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


def test_a_probe_by_internal_ip_gets_its_answer(client, settings):
    settings.ALLOWED_HOSTS = ["tracker.example.org"]
    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").status_code == 200
    # The host check is on for every other page.
    assert client.get("/auth/login/", HTTP_HOST="10.0.3.7:8000").status_code == 400


def test_a_plain_http_probe_is_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz")
    assert response.status_code == 200
    # Every other page is redirected to HTTPS.
    page = client.get("/auth/login/")
    assert page.status_code == 301
    assert page["Location"] == "https://testserver/auth/login/"


def test_a_cache_server_is_checked_with_a_set_and_a_get(client, server_cache):
    assert client.get("/healthz").status_code == 200
    assert list(server_cache.values.values()) == ["ok"]


def test_down_when_the_cache_server_does_not_answer(client, server_cache):
    server_cache.down = True
    response = client.get("/healthz")
    assert response.status_code == 503
    assert b"cache-server" not in response.content


def test_a_local_cache_is_not_checked(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    # A dummy cache forgets what it is given: a set and a get would fail.
    assert client.get("/healthz").status_code == 200
