"""Publication fixtures: staff of every role, a line, recording on it, and pages read as a
person reads them."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model

from hearings.models import Actor
from tracker import services
from tracker.models import FollowUpLine, Profile

PASSWORD = "pw-for-tests"
LINE_REC, LINE_ACTOR = "R42.1", "civil-society"


@pytest.fixture
def users(loaded_report):
    User = get_user_model()

    def make(username, role, actor_keys=()):
        user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
        profile = Profile.objects.create(user=user, role=role)
        profile.actors.set(Actor.objects.filter(key__in=actor_keys))
        return user

    return {
        "viewer": make("viewer", "viewer"),
        "focal-point": make("focal-civil-society", "focal-point", [LINE_ACTOR]),
        "coordinator": make("coordinator", "coordinator"),
        "superuser": User.objects.create_superuser("admin", password=PASSWORD),
    }


@pytest.fixture
def line(loaded_report):
    return FollowUpLine.objects.get(recommendation__code=LINE_REC, actor__key=LINE_ACTOR)


@pytest.fixture
def record(line):
    """Record an update on the line (or another) as a user; returns the update."""

    def record(user, *, on=None, note="Hotline opened in three countries.", publish=False):
        target = on or line
        target.refresh_from_db()
        return services.status_update_record(
            line_id=target.pk,
            user=user,
            status="in-progress",
            note=note,
            effective_date=datetime.date(2014, 1, 10),
            evidence_links=[],
            seen_version=target.update_count,
            publish=publish,
        )

    return record


def page_text(response) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, spaces folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()).replace(" :", ":")


def messages_shown(response) -> list[str]:
    """The confirmation messages on a page, as read."""
    html = response.content.decode()
    found = re.findall(r'<p class="message message--\w+">(.*?)</p>', html, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", m)).split()) for m in found]
