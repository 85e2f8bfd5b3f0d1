"""HTTPS from the environment: behind a TLS proxy, production redirects plain HTTP and
sends HSTS (subdomains only when asked); a laptop does neither."""

import json

import pytest

from tests.fresh_django import production_env, run_python

SHOWN = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]


def settings_with(**env) -> dict:
    code = (
        "import json; from django.conf import settings\n"
        f"print(json.dumps({{name: getattr(settings, name) for name in {SHOWN!r}}}))"
    )
    result = run_python(code, production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_production_behind_a_tls_proxy():
    assert settings_with() == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_the_forwarded_scheme_is_trusted_only_behind_a_proxy():
    # Without a proxy a client could send X-Forwarded-Proto: https itself.
    assert settings_with(BEHIND_TLS_PROXY=None)["SECURE_PROXY_SSL_HEADER"] is None


def test_the_environment_turns_the_redirect_off_and_subdomains_on():
    shown = settings_with(SECURE_SSL_REDIRECT="false", SECURE_HSTS_INCLUDE_SUBDOMAINS="true")
    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_a_laptop_neither_redirects_nor_sends_hsts():
    shown = settings_with(DEBUG="true", BEHIND_TLS_PROXY=None, SECRET_KEY=None)
    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SECURE_HSTS_SECONDS"] == 0


@pytest.fixture
def production_security(settings):
    """Production's HTTPS settings, as the environment above sets them."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = False


def test_plain_http_is_redirected_to_https(client, production_security):
    response = client.get("/auth/login/?next=/recommendations/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/auth/login/?next=/recommendations/"


@pytest.mark.django_db
def test_https_through_the_proxy_gets_the_page_and_hsts(client, production_security):
    response = client.get("/auth/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000"
