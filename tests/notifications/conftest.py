"""People and lines for the reminders' tests, and the clock they move: every line of the
report is made on 4 January 2027 (a Monday), so it becomes stale (STALE_AFTER_DAYS, 180)
from 5 July 2027; runs are made as of chosen days (`--now`)."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from hearings.models import Actor
from tracker.models import FollowUpLine, Profile, Role

PASSWORD = "pw-for-tests"
LINES_MADE = datetime.datetime(2027, 1, 4, tzinfo=datetime.UTC)
MONDAY = datetime.date(2027, 3, 1)  # ISO week 2027-W09
FIRST_STALE_DAY = datetime.date(2027, 7, 3)  # 180 days after the lines were made


def make_user(username, role, *, actor_keys=(), email=None, first_name="", time_zone=""):
    user = get_user_model().objects.create_user(
        username,
        email=f"{username}@example.org" if email is None else email,
        password=PASSWORD,
        first_name=first_name,
    )
    profile = Profile.objects.create(user=user, role=role, time_zone=time_zone)
    profile.actors.set(Actor.objects.filter(key__in=actor_keys))
    return user


@pytest.fixture
def lines_made(loaded_report):
    """Every line made on LINES_MADE (the report itself is loaded whenever the tests run)."""
    FollowUpLine.objects.update(created_at=LINES_MADE)


@pytest.fixture
def employers_focal(lines_made):
    """A focal point for employers, who have two lines (R30.3 and R53.1)."""
    return make_user("focal-employers", Role.FOCAL_POINT, actor_keys=["employers"])


@pytest.fixture
def unions_focal(lines_made):
    """A focal point for trade unions (one line)."""
    return make_user("focal-unions", Role.FOCAL_POINT, actor_keys=["trade-unions"])


@pytest.fixture
def coordinator(loaded_report):
    return make_user("coord", Role.COORDINATOR, first_name="Ana")


def employers_lines():
    return list(FollowUpLine.objects.filter(actor__key="employers").order_by("pk"))


def send_reminders(day: datetime.date, *options) -> str:
    """`manage.py send_reminders --now day`, returning what it printed."""
    out = io.StringIO()
    call_command("send_reminders", "--now", day.isoformat(), *options, stdout=out)
    return out.getvalue()


def text_part(message) -> str:
    return message.body


def html_part(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html
