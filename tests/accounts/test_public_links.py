"""Every absolute link the app writes is on PUBLIC_BASE_URL, never on the request's Host
header; the setting is required, and checked, when DEBUG is off."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from hearings.settings_values import public_origin
from tests.fresh_django import environment, manage
from tracker.models import Profile

PUBLIC = "https://tracker.example.org"
HOSTILE = "evil.example"


@pytest.fixture
def hostile_host_allowed(settings):
    """The worst case: a Host header the deployment accepts but does not own."""
    settings.ALLOWED_HOSTS = [HOSTILE, "testserver"]
    settings.PUBLIC_BASE_URL = PUBLIC


def links(body):
    return re.findall(r"\w+://\S+", body)


@pytest.mark.django_db
def test_the_reset_e_mail_links_to_public_base_url_whatever_the_host(
    hostile_host_allowed, mailoutbox
):
    get_user_model().objects.create_user("focal", "focal@example.org", "pw-for-tests-83")
    response = Client().post(
        reverse("password_reset"), {"email": "focal@example.org"}, HTTP_HOST=HOSTILE
    )
    assert response.status_code == 302
    [mail] = mailoutbox
    [link] = links(mail.body)
    assert link.startswith(f"{PUBLIC}/auth/reset/")
    assert HOSTILE not in mail.body


@pytest.mark.django_db
def test_the_invitation_links_to_public_base_url_whatever_the_host(
    hostile_host_allowed, mailoutbox
):
    coordinator = get_user_model().objects.create_user("coordinator", "c@example.org", "pw-83-x")
    Profile.objects.create(user=coordinator, role="coordinator")
    client = Client(HTTP_HOST=HOSTILE)
    client.force_login(coordinator)
    response = client.post(
        reverse("account-new"),
        {"username": "new-viewer", "email": "new@example.org", "role": "viewer", "is_active": "on"},
    )
    assert response.status_code == 302
    [mail] = mailoutbox
    [link] = links(mail.body)
    assert link.startswith(f"{PUBLIC}/auth/reset/")
    assert HOSTILE not in mail.body


def start_django(**env):
    environ = environment(
        removed={"SECRET_KEY", "DEBUG", "PUBLIC_BASE_URL"},
        SECRET_KEY="k3" * 30,
        ALLOWED_HOSTS="tracker.example.org",
    )
    environ.update(env)
    return manage("check", env=environ)


def test_debug_off_without_public_base_url_refuses_to_start():
    result = start_django(DEBUG="false")
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL is not set" in result.stderr


@pytest.mark.parametrize(
    "value",
    [
        "tracker.example.org",
        "ftp://tracker.example.org",
        "https://tracker.example.org/app",
        "https://tracker.example.org?x=1",
        "https://tracker.example.org#top",
        "https://user:pw@tracker.example.org",
        "https://tracker.example.org:http",
        "https://",
    ],
)
def test_a_public_base_url_that_is_not_an_origin_is_a_clear_error(value):
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_BASE_URL must be the address users"):
        public_origin(value)


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("https://tracker.example.org/", "https://tracker.example.org"),
        (" http://127.0.0.1:8000 ", "http://127.0.0.1:8000"),
        ("https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443"),
    ],
)
def test_a_public_base_url_is_kept_as_its_origin(value, origin):
    assert public_origin(value) == origin


def test_debug_off_with_a_public_base_url_starts():
    result = start_django(DEBUG="false", PUBLIC_BASE_URL="https://tracker.example.org/")
    assert result.returncode == 0, result.stderr
