"""API fixtures: staff of every role with tokens, the public site's switch, and a client
that sends a token."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hearings.models import Actor, Recommendation
from tracker import services
from tracker.api import services as tokens
from tracker.models import FollowUpLine, Profile
from tracker.publication import services as publication

# The focal point reports for the ILO; its own line and another actor's line.
OWN_REC, OWN_ACTOR = "R30a", "ilo"
OTHER_REC, OTHER_ACTOR = "R42.1", "civil-society"


@pytest.fixture(autouse=True)
def api_cache(settings):
    """A private cache per test (rates and cached public answers never leak between tests)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def staff(loaded_report):
    User = get_user_model()

    def make(username, role, actor_keys=()):
        user = User.objects.create_user(username, password="pw", first_name=username.title())
        profile = Profile.objects.create(user=user, role=role)
        profile.actors.set(Actor.objects.filter(key__in=actor_keys))
        return user

    return {
        "viewer": make("viewer", "viewer"),
        "focal-point": make("focal-ilo", "focal-point", [OWN_ACTOR]),
        "coordinator": make("coordinator", "coordinator"),
        "leaver": make("leaver", "focal-point", [OWN_ACTOR]),
    }


@pytest.fixture
def token_of(staff):
    """A working token of a role's user: read-write unless scope says otherwise."""

    def make(role, scope="read-write", days=30):
        _token, plain = tokens.token_create(
            user=staff[role], name=f"{role} script", scope=scope, days=days
        )
        return plain

    return make


def bearer(plain: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


@pytest.fixture
def site_on(staff):
    publication.site_set(user=staff["coordinator"], is_on=True)


@pytest.fixture
def own_line(staff):
    """The ILO's line on R30a (the catalogue only mentions the ILO there: a coordinator
    adds the line, followed since the hearings)."""
    return services.line_add(
        recommendation=Recommendation.objects.get(code=OWN_REC),
        actor=Actor.objects.get(key=OWN_ACTOR),
        user=staff["coordinator"],
        followed_since=datetime.date(2013, 7, 15),
    )


@pytest.fixture
def other_line(loaded_report):
    return FollowUpLine.objects.get(recommendation__code=OTHER_REC, actor__key=OTHER_ACTOR)


@pytest.fixture
def record(staff):
    """Record an update on a line as a coordinator (or `user`); returns the update."""

    def record(line, *, user=None, status="in-progress", note="Plan adopted.", publish=False,
               effective_date=datetime.date(2014, 3, 1)):  # fmt: skip
        line.refresh_from_db()
        return services.status_update_record(
            line_id=line.pk,
            user=user or staff["coordinator"],
            status=status,
            note=note,
            effective_date=effective_date,
            evidence_links=[],
            seen_version=line.update_count,
            publish=publish,
        )

    return record
