"""Backups: a database with follow-up history, backed up and restored into a fresh
database, comes back row for row (PostgreSQL with pg_dump/pg_restore, SQLite with its
online backup API); a file that is not a backup, or not this database's kind, is refused."""

import contextlib
import copy
import datetime
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from tests.fresh_django import ROOT
from tracker import services
from tracker.models import FollowUpLine, Profile
from tracker.ops import backups

ON_POSTGRESQL = connection.vendor == "postgresql"
OTHER_KIND = "sqlite" if ON_POSTGRESQL else "postgresql"


def record_history():
    """Status updates on three lines, one corrected, as the update form records them."""
    user = get_user_model().objects.create_user("coordinator", password="pw-for-tests")
    Profile.objects.create(user=user, role="coordinator")
    lines = list(FollowUpLine.objects.order_by("pk")[:3])
    for day, (line, status) in enumerate(
        [(lines[0], "planned"), (lines[1], "in-progress"), (lines[0], "in-progress"),
         (lines[2], "implemented")]
    ):  # fmt: skip
        line.refresh_from_db()
        services.status_update_record(
            line_id=line.pk,
            user=user,
            status=status,
            note=f"Update {day} on line {line.pk}.",
            effective_date=datetime.date(2014, 1, 1) + datetime.timedelta(days=day),
            evidence_links=[f"https://example.org/evidence/{day}"],
            seen_version=line.update_count,
        )
    return user, lines


def every_row(db) -> dict[str, list]:
    """Every table's rows, in a stable order."""
    with db.cursor() as cursor:
        tables = db.introspection.table_names(cursor)
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {db.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def another_database(name: str):
    """A connection to another database on the same server (or SQLite file)."""
    default = connections[DEFAULT_DB_ALIAS]
    settings_dict = copy.deepcopy(default.settings_dict)
    settings_dict["NAME"] = name
    return type(default)(settings_dict, alias="restored")


def assert_same_rows(original, restored):
    assert original.keys() == restored.keys()
    assert sum(len(rows) for rows in original.values()) > 1000  # the report and its history
    for table, rows in original.items():
        assert restored[table] == rows, table


@contextlib.contextmanager
def fresh_database(tmp_path):
    """An empty database of the default one's kind: a new PostgreSQL database on the same
    server (dropped after), or a new SQLite file."""
    if not ON_POSTGRESQL:
        restored = another_database(str(tmp_path / "fresh.sqlite3"))
        yield restored
        restored.close()
        return
    name = connection.settings_dict["NAME"] + "_restored"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    restored = another_database(name)
    try:
        yield restored
    finally:
        restored.close()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")


# PostgreSQL through pg_dump and pg_restore, SQLite through its online backup API: the
# run on each database (CI runs both) tests its own.
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_row_for_row(loaded_report, tmp_path):
    record_history()
    path = tmp_path / "hearings.tar"
    call_command("backup", "-o", str(path))
    assert backups.kind_of_file(path) == connection.vendor  # an archive (tracker.ops.archive)
    assert path.stat().st_mode & 0o777 == 0o600

    with fresh_database(tmp_path) as restored:
        backups.restore(path, connection=restored)
        assert_same_rows(every_row(connection), every_row(restored))


@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_the_database_as_it_was_backed_up(loaded_report, tmp_path):
    user, lines = record_history()
    cache.set("public-page:cached-before", b"<html>", 3600)
    before = every_row(connection)
    path = tmp_path / "hearings.tar"
    call_command("backup", "-o", str(path))
    # Recorded after the backup: gone once it is restored.
    lines[1].refresh_from_db()
    services.status_update_record(
        line_id=lines[1].pk, user=user, status="implemented", note="After the backup.",
        effective_date=datetime.date(2015, 1, 1), evidence_links=[],
        seen_version=lines[1].update_count,
    )  # fmt: skip
    assert every_row(connection) != before

    call_command("restore", str(path), interactive=False)
    after = every_row(connection)
    after.pop("django_cache", None)
    before.pop("django_cache", None)
    assert after == before
    # The public pages' cache starts empty: the public version counts on from the backup's.
    assert cache.get("public-page:cached-before") is None


@pytest.mark.django_db
def test_the_default_file_is_in_backups_with_a_utc_timestamp(tmp_path, monkeypatch):
    geneva_winter = datetime.timezone(datetime.timedelta(hours=1))
    in_geneva = datetime.datetime(2026, 12, 1, 15, 53, 22, tzinfo=geneva_winter)
    suffix = ".tar"
    assert backups.default_path(connection, now=in_geneva) == (
        ROOT / "backups" / f"hearings-{connection.vendor}-20261201T145322Z{suffix}"
    )
    assert "/backups/" in (ROOT / ".gitignore").read_text().splitlines()

    monkeypatch.setattr(backups, "backup_dir", lambda: tmp_path / "backups")
    call_command("backup")
    [written] = (tmp_path / "backups").iterdir()
    assert written.name.startswith(f"hearings-{connection.vendor}-")
    assert written.suffix == suffix


@pytest.mark.django_db
def test_an_existing_file_is_never_overwritten(tmp_path):
    path = tmp_path / "kept.dump"
    path.write_bytes(b"an earlier backup")
    with pytest.raises(CommandError, match="kept.dump exists"):
        call_command("backup", "-o", str(path))
    assert path.read_bytes() == b"an earlier backup"


@pytest.mark.django_db
def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.dump"), interactive=False)


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("status,note\n")
    with pytest.raises(CommandError, match="notes.txt is not a backup"):
        call_command("restore", str(path), interactive=False)


def other_kind_of_backup(tmp_path) -> Path:
    """A file of the other database's kind: a SQLite file on PostgreSQL and the reverse."""
    if OTHER_KIND == "sqlite":
        path = tmp_path / "other.sqlite3"
        sqlite3.connect(path).execute("CREATE TABLE django_migrations (id integer)")
        return path
    path = tmp_path / "other.dump"
    path.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
    return path


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_the_other_kind_of_database(tmp_path):
    path = other_kind_of_backup(tmp_path)
    other, this = backups.KINDS[OTHER_KIND][0], backups.KINDS[connection.vendor][0]
    with pytest.raises(CommandError, match=f"is a {other} backup, but the database is {this}"):
        call_command("restore", str(path), interactive=False)


def test_a_sqlite_file_of_another_app_is_not_a_backup(tmp_path):
    path = tmp_path / "other-app.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE invoices (id integer)")
    with pytest.raises(backups.BackupError, match="not a backup of this app"):
        backups.check_backup(path, "sqlite")


def test_a_missing_tool_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(backups.BackupError, match="pg_restore is not installed: install"):
        backups.check_backup(tmp_path / "any.dump", "postgresql")


@pytest.mark.django_db
def test_restore_asks_first(tmp_path, monkeypatch):
    path = tmp_path / "hearings.tar"
    call_command("backup", "-o", str(path))
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Restore cancelled; nothing changed"):
        call_command("restore", str(path))


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("backup FILE=b.dump", 'manage.py backup -o "b.dump"'),
        ("restore FILE=b.dump", 'manage.py restore "b.dump"'),
    ],
)
def test_make_runs_the_commands(target, expected):
    make = shutil.which("make")
    # make -n prints the commands it would run, and runs none.
    printed = subprocess.run(  # noqa: S603
        [make, "-n", *target.split()], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert expected in printed
