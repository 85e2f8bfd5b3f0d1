"""`manage.py create_demo_accounts`: one account per role, for a laptop only."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tracker.models import Profile

pytestmark = pytest.mark.django_db


def create_accounts(capsys):
    call_command("create_demo_accounts")
    out = capsys.readouterr().out
    return dict(re.findall(r"^\s+(\S+)\s+(\S+)\s+", out, re.MULTILINE)), out


def test_refused_when_debug_is_off(loaded_report, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off: refused"):
        call_command("create_demo_accounts")
    assert not Profile.objects.exists()


def test_refused_before_the_report_is_loaded(empty_database, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="Load the report first"):
        call_command("create_demo_accounts")


def test_one_account_per_role_printed_and_usable(loaded_report, settings, client, capsys):
    settings.DEBUG = True
    passwords, out = create_accounts(capsys)
    assert set(passwords) == {"admin", "coordinator", "focal-civil-society", "viewer"}
    roles = dict(Profile.objects.values_list("user__username", "role"))
    assert roles["coordinator"] == Profile.Role.COORDINATOR
    assert roles["focal-civil-society"] == Profile.Role.FOCAL_POINT
    assert roles["viewer"] == Profile.Role.VIEWER
    focal = Profile.objects.get(user__username="focal-civil-society")
    assert list(focal.actors.values_list("key", flat=True)) == ["civil-society"]
    assert "focal point for Civil society" in out
    for username, password in passwords.items():
        assert client.login(username=username, password=password), username


def test_running_again_resets_passwords_without_duplicates(loaded_report, settings, capsys):
    settings.DEBUG = True
    first, _ = create_accounts(capsys)
    second, _ = create_accounts(capsys)
    assert Profile.objects.count() == 4
    assert first["viewer"] != second["viewer"]
