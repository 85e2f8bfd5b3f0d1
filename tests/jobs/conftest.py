"""Accounts for the job tests: a requester, and everyone else who must not see their jobs."""

import pytest
from django.contrib.auth import get_user_model

from tests.imports.test_imports import make_account
from tracker.models import Role


@pytest.fixture
def requester(loaded_report):
    return make_account("requester", Role.FOCAL_POINT, ["civil-society"])


@pytest.fixture
def others(loaded_report):
    """Every kind of account that is not the requester, by role."""
    superuser = get_user_model().objects.create_superuser("admin", password="a-long-password")
    return {
        "another focal point": make_account("other-focal", Role.FOCAL_POINT, ["civil-society"]),
        "viewer": make_account("viewer", Role.VIEWER),
        "coordinator": make_account("coordinator", Role.COORDINATOR),
        "administrator": superuser,
    }


@pytest.fixture(params=["database", "rq"])
def engine(request, settings):
    """The Tasks API's engine, here and for the workers the test starts (their
    environment): the database backend, or RQ on this test worker's private Redis."""
    if request.param == "database":
        return {"JOBS_BACKEND": "database"}
    import redis

    from hearings.settings_values import tasks_config

    url = request.getfixturevalue("redis_url")
    redis.Redis.from_url(url).flushdb()
    settings.TASKS, settings.RQ_QUEUES = tasks_config("rq", url)
    return {"JOBS_BACKEND": "rq", "JOBS_REDIS_URL": url}
