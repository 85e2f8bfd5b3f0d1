"""Password reset is throttled per e-mail address and per client address, with one answer
for every case; every form that sets a password applies the password validators."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC)
ADDRESS = "203.0.113.9"
OLD_PASSWORD = "an-old-pass-for-tests-52"


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def focal():
    return get_user_model().objects.create_user("focal", "focal@example.org", OLD_PASSWORD)


def ask_reset(email, address=ADDRESS):
    client = Client()
    response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)
    page = client.get(response["Location"]) if response.status_code == 302 else response
    # The language switcher's CSRF token is masked afresh on every page: not an answer.
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page.content.decode())
    return response.status_code, response.get("Location"), body


def test_reset_is_throttled_per_e_mail_address(clock, focal, mailoutbox, settings):
    assert settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR == 3
    answers = [ask_reset("focal@example.org", f"192.0.2.{i}") for i in range(5)]
    assert len(mailoutbox) == 3, "the 4th and 5th, from other addresses, sent nothing"
    assert len(set(answers)) == 1, "throttled or not, the same answer"
    ask_reset("FOCAL@example.org ", "192.0.2.99")
    assert len(mailoutbox) == 3, "the address is compared without regard to case"
    clock.shift(datetime.timedelta(hours=1))
    ask_reset("focal@example.org")
    assert len(mailoutbox) == 4, "a new hour, a new allowance"


def test_reset_is_throttled_per_client_address(clock, focal, mailoutbox, settings):
    assert settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR == 10
    answers = [ask_reset(f"nobody-{i}@example.org") for i in range(10)]
    throttled = ask_reset("focal@example.org")
    assert mailoutbox == [], "an address that asked ten times gets no e-mail sent"
    assert throttled == answers[0]
    ask_reset("focal@example.org", "198.51.100.7")
    assert len(mailoutbox) == 1, "another address still can"


def test_known_unknown_and_throttled_addresses_get_the_same_page(clock, focal, settings):
    settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR = 1
    known = ask_reset("focal@example.org")
    unknown = ask_reset("nobody@example.org")
    throttled = ask_reset("focal@example.org")
    assert known == unknown == throttled
    status, location, page = known
    assert (status, location) == (302, reverse("password_reset_done"))
    assert "If an account has this address" in page


def test_an_invalid_address_is_the_form_again_and_counts_nothing(clock, focal, mailoutbox):
    for _ in range(12):
        status, _location, page = ask_reset("not-an-address")
        assert status == 200
        assert "Enter a valid email address." in page
    ask_reset("focal@example.org")
    assert len(mailoutbox) == 1


# --- password validators in every form that sets a password ---------------------------------

WEAK = [
    ("short-1", "This password is too short. It must contain at least 8 characters."),
    ("password123", "This password is too common."),
    ("4815162342", "This password is entirely numeric."),
    ("focal1234", "The password is too similar to the username."),
]


def errors_of(response):
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize(("weak", "message"), WEAK)
def test_password_change_applies_the_validators(focal, weak, message):
    client = Client()
    client.force_login(focal)
    response = client.post(
        reverse("password_change"),
        {"old_password": OLD_PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200
    assert message in errors_of(response)
    focal.refresh_from_db()
    assert focal.check_password(OLD_PASSWORD)


@pytest.mark.parametrize(("weak", "message"), WEAK)
def test_password_reset_confirm_applies_the_validators(focal, mailoutbox, weak, message):
    client = Client()
    client.post(reverse("password_reset"), {"email": "focal@example.org"})
    link = re.search(r"https?://\S+(/auth/reset/\S+/)", mailoutbox[0].body)[1]
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": weak, "new_password2": weak}
    )
    assert response.status_code == 200
    assert message in errors_of(response)
    focal.refresh_from_db()
    assert focal.check_password(OLD_PASSWORD)


@pytest.mark.parametrize(("weak", "message"), WEAK)
def test_the_admin_set_password_form_applies_the_validators(focal, weak, message):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", OLD_PASSWORD)
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[focal.pk]),
        {"password1": weak, "password2": weak, "usable_password": "true"},
    )
    assert response.status_code == 200
    assert message in errors_of(response)
    focal.refresh_from_db()
    assert focal.check_password(OLD_PASSWORD)
