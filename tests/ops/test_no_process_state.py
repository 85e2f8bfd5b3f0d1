"""Production keeps nothing in a process's memory that another app server would need:
sessions, the cache (throttle counters, the login slow-down's turns) and lockouts live in
the database or Redis, so any number of instances can run behind a load balancer. `make
loadtest` shows it on two running instances; this pins the settings that make it so."""

import json

import pytest

from tests.fresh_django import production_env, run_python

READ_SETTINGS = """
import json
from axes.conf import settings as axes_settings
from django.conf import settings
from django.core.cache import caches
print(json.dumps({
    "sessions": settings.SESSION_ENGINE,
    "cache": type(caches["default"]).__module__,
    "lockouts": axes_settings.AXES_HANDLER,
    "messages": settings.MESSAGE_STORAGE,
}))
"""
SHARED_SESSIONS = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


@pytest.mark.parametrize("cache_url", [None, "redis://cache.internal:6379/0"])
def test_production_keeps_sessions_cache_and_lockouts_outside_the_process(cache_url):
    result = run_python(READ_SETTINGS, production_env(CACHE_URL=cache_url))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["sessions"] in SHARED_SESSIONS
    expected = "redis" if cache_url else "db"
    assert found["cache"] == f"django.core.cache.backends.{expected}"
    assert found["lockouts"] == "axes.handlers.database.AxesDatabaseHandler"
    # Messages travel in the cookie or the session, never in a process.
    assert found["messages"] == "django.contrib.messages.storage.fallback.FallbackStorage"
