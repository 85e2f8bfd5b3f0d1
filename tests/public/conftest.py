"""Public site fixtures: staff of every role, the site switched on, and recording on a line
with or without publishing its note."""

import datetime
import uuid

import pytest
from django.contrib.auth import get_user_model

from hearings.models import Actor
from tracker import services
from tracker.models import FollowUpLine, Profile
from tracker.publication import services as publication

PASSWORD = "pw-for-tests"
LINE_REC, LINE_ACTOR = "R42.1", "civil-society"
# Planted in every field that must never be public; searched for in every public page.
SECRET = "zq-secret-marker"


@pytest.fixture
def users(loaded_report):
    User = get_user_model()

    def make(username, role, actor_keys=()):
        user = User.objects.create_user(
            username,
            password=PASSWORD,
            first_name=f"{SECRET}-first",
            last_name=f"{username}-last",
            email=f"{SECRET}-{username}@example.org",
        )
        profile = Profile.objects.create(user=user, role=role)
        profile.actors.set(Actor.objects.filter(key__in=actor_keys))
        return user

    return {
        "viewer": make("viewer", "viewer"),
        "focal-point": make("focal-civil-society", "focal-point", [LINE_ACTOR]),
        "coordinator": make("coordinator", "coordinator"),
    }


@pytest.fixture
def site_on(users):
    publication.site_set(user=users["coordinator"], is_on=True)


@pytest.fixture
def line(loaded_report):
    return FollowUpLine.objects.get(recommendation__code=LINE_REC, actor__key=LINE_ACTOR)


@pytest.fixture
def record(line, users):
    """Record an update on the line (or another) as the coordinator; returns the update."""

    def record(
        *,
        on=None,
        note="Hotline opened in three countries.",
        publish=False,
        status="in-progress",
        day=datetime.date(2014, 1, 10),
        links=(),
        files=(),
    ):
        target = on or line
        target.refresh_from_db()
        return services.status_update_record(
            line_id=target.pk,
            user=users["coordinator"],
            status=status,
            note=note,
            effective_date=day,
            evidence_links=list(links),
            seen_version=target.update_count,
            publish=publish,
            evidence_files=list(files),
        )

    return record


@pytest.fixture
def private_cache(settings):
    """A cache of this test's own in memory (no query of its own; the database cache would
    add its statements to every count, and a shared one would keep other tests' pages)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"public-tests-{uuid.uuid4()}",
        }
    }
