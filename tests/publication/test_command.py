"""`manage.py public_site on|off|status [--target-dates on|off]`: the switches from the
command line, what it says, and clear refusals of anything else (nothing changed)."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from tracker.publication import services
from tracker.publication.models import PublicSite

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("public_site", *args, stdout=out)
    return out.getvalue()


def site():
    row = PublicSite.objects.filter(pk=PublicSite.ONLY).first()
    return (row.is_on, row.target_dates_public) if row else (False, False)


def test_on_and_off_switch_the_site_and_say_how_it_stands(loaded_report):
    out = run("on")
    assert out.startswith("Changed.\nThe public site is on (last changed on ")
    assert "by the command line)." in out
    assert "Target dates are private, and so are the overdue and stale figures." in out
    assert site() == (True, False)
    assert run("on").startswith("Nothing changed: it was so already.\nThe public site is on")
    assert run("OFF").startswith("Changed.\nThe public site is off")
    assert site() == (False, False)


def test_target_dates_alone_or_with_the_switch(loaded_report):
    out = run("--target-dates", "on")
    assert "Target dates are public, with the overdue and stale figures." in out
    assert site() == (False, True)
    run("on", "--target-dates", "off")
    assert site() == (True, False)
    # One press, one audit entry, whatever it changed.
    entries = LogEntry.objects.filter(content_type__model="publicsite").order_by("pk")
    assert [e.changes for e in entries] == [
        {"target_dates_public": ["False", "True"]},
        {"is_on": ["False", "True"], "target_dates_public": ["True", "False"]},
    ]
    assert {e.actor for e in entries} == {None}


def test_status_changes_nothing_and_counts(users, line, record):
    record(users["focal-point"], publish=True)
    record(users["focal-point"])
    services.withhold(user=users["coordinator"], line=line, reason="Sensitive.")
    out = run("status")
    assert out.splitlines() == [
        "The public site is off (never switched on yet).",
        "Target dates are private, and so are the overdue and stale figures.",
        "Published notes: 1 of 2 status updates; 0 shown on the public site while it is on.",
        "Kept out of public view: 0 recommendations, 1 line.",
    ]
    assert not PublicSite.objects.exists()
    assert not LogEntry.objects.filter(content_type__model="publicsite").exists()
    services.site_set(user=users["coordinator"], is_on=True)
    assert "by Coordinator)." in run("status").splitlines()[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Say what to do: `public_site on`, `public_site off` or `public_site status`"),
        (("maybe",), "Unknown state “maybe”: say on, off or status"),
        (("on", "--target-dates", "yes"), "Unknown value “yes” for --target-dates: say on or off"),
        (("status", "--target-dates", "on"), "`status` changes nothing: leave it out"),
        (("on", "off"), "unrecognized arguments: off"),
    ],
)
def test_wrong_arguments_are_refused_clearly_and_change_nothing(loaded_report, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert site() == (False, False)
    assert not LogEntry.objects.filter(content_type__model="publicsite").exists()
