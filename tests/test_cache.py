"""The shared cache (CACHE_URL: the database, or Redis) and the throttle counters kept in it
(tracker/throttles.py)."""

import datetime
import uuid

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from hearings.settings_values import cache_from_url
from tests.fresh_django import environment, run_python
from tracker import throttles

T0 = datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC)


def test_the_database_cache_by_default():
    config = cache_from_url("")
    assert config["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert config["LOCATION"] == "django_cache"


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://:secret@cache:6380/1"])
def test_redis_when_cache_url_names_it(url):
    config = cache_from_url(url)
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == url


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("memcached://:hunter2@127.0.0.1:11211", "'memcached'"),
        ("locmem://", "'locmem'"),
        ("127.0.0.1:6379", "''"),
    ],
)
def test_any_other_cache_url_is_a_clear_error_that_keeps_passwords_out(url, scheme):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be a redis://") as error:
        cache_from_url(url)
    assert f"its scheme is {scheme}" in str(error.value)
    assert "hunter2" not in str(error.value)


def run_with_cache_url(url, code):
    return run_python(code, environment(CACHE_URL=url, DJANGO_SETTINGS_MODULE="hearings.settings"))


def test_redis_serves_the_throttles_when_configured(redis_url):
    """Against a real Redis server (a private one: see redis_url)."""
    value = uuid.uuid4().hex
    code = (
        # Three hits in one fixed window of 60 s: away from its end, so that a slow run
        # does not see the third hit fall into the next window.
        "import time; s = time.time() % 60; time.sleep(61 - s if s > 55 else 0); "
        "from django.core.cache import caches; from tracker import throttles; "
        "print('=', type(caches['default']).__name__); "
        f"print('=', [throttles.hit('test', '{value}', limit=2, window=60) for _ in range(3)]); "
        f"print('=', throttles.record('test', '{value}', window=60), "
        f"throttles.record('test', '{value}', window=60), throttles.count('test', '{value}'))"
    )
    result = run_with_cache_url(redis_url, code)
    assert result.returncode == 0, result.stderr
    printed = [line for line in result.stdout.splitlines() if line.startswith("= ")]
    assert printed == ["= RedisCache", "= [True, True, False]", "= 1 2 2"]


def test_an_unknown_cache_url_stops_the_app_at_start():
    result = run_with_cache_url("memcached://127.0.0.1:11211", "")
    assert result.returncode != 0
    assert "CACHE_URL must be a redis:// or rediss:// URL" in result.stderr


# --- the counters, on the test database's cache table --------------------------------------


@pytest.mark.django_db
def test_a_throttle_refuses_beyond_its_limit_until_the_window_ends():
    with time_machine.travel(T0, tick=False) as clock:
        assert [throttles.hit("t", "a@example.org", limit=3, window=3600) for _ in range(4)] == [
            True,
            True,
            True,
            False,
        ]
        assert throttles.hit("t", "b@example.org", limit=3, window=3600), "per value"
        assert throttles.hit("other", "a@example.org", limit=3, window=3600), "per scope"
        clock.shift(datetime.timedelta(minutes=59))
        assert not throttles.hit("t", "a@example.org", limit=3, window=3600)
        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        assert throttles.hit("t", "a@example.org", limit=3, window=3600)


@pytest.mark.django_db
def test_a_record_is_forgotten_a_window_after_the_last_event():
    with time_machine.travel(T0, tick=False) as clock:
        assert throttles.record("r", "ana", window=900) == 1
        clock.shift(datetime.timedelta(minutes=14))
        assert throttles.record("r", "ana", window=900) == 2
        clock.shift(datetime.timedelta(minutes=14))
        assert throttles.count("r", "ana") == 2  # kept: 14 minutes since the last one
        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        assert throttles.count("r", "ana") == 0


@pytest.mark.django_db
def test_one_turn_per_delay():
    with time_machine.travel(T0, tick=False) as clock:
        assert throttles.claim("c", "ana", 4) == 0
        assert throttles.claim("c", "ana", 4) == pytest.approx(4)
        clock.shift(datetime.timedelta(seconds=3))
        assert throttles.claim("c", "ana", 4) == pytest.approx(1)
        assert throttles.claim("c", "bea", 4) == 0
        clock.shift(datetime.timedelta(seconds=2))
        assert throttles.claim("c", "ana", 4) == 0


@pytest.mark.django_db
def test_values_are_hashed_in_the_cache():
    throttles.record("r", "secret-name@example.org", window=60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM django_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys
    assert not any("secret-name" in key for key in keys)
    assert cache.get("anything-else") is None
