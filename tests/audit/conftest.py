"""Accounts for the audit log's tests, and changes made through the services as a
coordinator would make them on a page (the audit middleware names the user there)."""

import re
from html import unescape

import pytest
from auditlog.context import set_actor
from django.contrib.auth import get_user_model

from hearings.models import Actor
from tracker.accounts.services import AccountData, account_save
from tracker.models import FollowUpLine, Profile, Role

PASSWORD = "pw-for-tests"


def make_user(username, role, *, actor_keys=(), first_name="", last_name="", time_zone=""):
    user = get_user_model().objects.create_user(
        username,
        email=f"{username}@example.org",
        password=PASSWORD,
        first_name=first_name,
        last_name=last_name,
    )
    profile = Profile.objects.create(user=user, role=role, time_zone=time_zone)
    profile.actors.set(Actor.objects.filter(key__in=actor_keys))
    return user


@pytest.fixture
def coordinator(loaded_report):
    return make_user("coord", Role.COORDINATOR, first_name="Ana", last_name="Lima")


@pytest.fixture
def focal(loaded_report):
    return make_user("focal", Role.FOCAL_POINT, actor_keys=["civil-society"])


@pytest.fixture
def line(loaded_report):
    return FollowUpLine.objects.get(recommendation__code="R42.1", actor__key="civil-society")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def as_user(user):
    """Changes made meanwhile are audited as this user's (as the middleware does)."""
    return set_actor(user)


def set_focal_actors(coordinator, focal, keys):
    data = AccountData(
        username=focal.username,
        email=focal.email,
        first_name=focal.first_name,
        last_name=focal.last_name,
        role=Role.FOCAL_POINT,
        actors=list(Actor.objects.filter(key__in=keys)),
        is_active=True,
    )
    with as_user(coordinator):
        account_save(user=coordinator, data=data, account=focal)


def page_text(response):
    """The page as a reader sees it: tags dropped, entities decoded, spaces folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()).replace(" :", ":")


def field_errors(response, field):
    match = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return unescape(match.group(1)) if match else ""
