"""Settings come from the environment and refuse unsafe production configurations."""

import pytest

from tests.fresh_django import environment, manage, run_python


def start_django(**env):
    """Import the settings in a fresh interpreter, as `manage.py` or gunicorn would."""
    return manage("check", env=environment(removed={"SECRET_KEY", "DEBUG"}, **env))


def test_debug_off_without_secret_key_refuses_to_start():
    result = start_django(DEBUG="false", ALLOWED_HOSTS="tracker.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_with_weak_secret_key_refuses_to_start():
    # 49 characters: one short of Django's deployment check (security.W009).
    result = start_django(DEBUG="false", SECRET_KEY="k3" * 24 + "k", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for DEBUG off: use at least 50 random" in result.stderr


def test_debug_off_without_allowed_hosts_refuses_to_start():
    result = start_django(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_debug_off_with_real_settings_starts():
    result = start_django(
        DEBUG="false",
        SECRET_KEY="k3" * 30,
        ALLOWED_HOSTS="example.org",
        PUBLIC_BASE_URL="https://example.org",
    )
    assert result.returncode == 0, result.stderr


def test_unreadable_boolean_is_a_clear_error():
    result = start_django(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("sqlite:////tmp/x.sqlite3", "django.db.backends.sqlite3"),
        ("postgres://postgres@127.0.0.1:5432/hearings", "django.db.backends.postgresql"),
    ],
)
def test_database_url_chooses_the_database(url, engine):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    environ = environment(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="hearings.settings")
    result = run_python(code, environ)
    assert result.stdout.strip() == engine, result.stderr


def test_times_are_stored_in_utc(settings):
    assert settings.USE_TZ is True
    assert settings.USE_I18N is True


def test_digest_frequencies_in_settings_are_the_models():
    from hearings.settings_values import DIGEST_FREQUENCIES
    from tracker.notifications.models import Frequency

    assert list(DIGEST_FREQUENCIES) == Frequency.values


def test_unknown_default_digest_frequency_is_a_clear_error():
    result = start_django(DIGEST_DEFAULT_FREQUENCY="daily")
    assert result.returncode != 0
    assert (
        "DIGEST_DEFAULT_FREQUENCY must be one of weekly, monthly, never, not 'daily'"
        in result.stderr
    )


def test_reminders_come_from_their_own_address_or_the_default_one():
    code = "from django.conf import settings; print(settings.REMINDERS_FROM_EMAIL)"
    own = environment(
        DJANGO_SETTINGS_MODULE="hearings.settings", REMINDERS_FROM_EMAIL="reminders@example.org"
    )
    assert run_python(code, own).stdout.strip() == "reminders@example.org"
    default = environment(
        removed={"REMINDERS_FROM_EMAIL"},
        DJANGO_SETTINGS_MODULE="hearings.settings",
        DEFAULT_FROM_EMAIL="tracker@example.org",
    )
    assert run_python(code, default).stdout.strip() == "tracker@example.org"
