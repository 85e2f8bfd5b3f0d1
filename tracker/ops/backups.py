"""Backups of the database, with each database's own tools; `manage.py backup` and
`manage.py restore` (`make backup`, `make restore FILE=...`).

- PostgreSQL: `pg_dump --format=custom`, restored by `pg_restore --clean --if-exists
  --no-owner --no-privileges --single-transaction` (all or nothing; owners and grants of
  the server it came from are not needed). Needs PostgreSQL's client tools, of the
  server's major version or newer (Debian: postgresql-client).
- SQLite: the online backup API (`sqlite3.Connection.backup`), a consistent copy while
  the app runs; restored the same way, over the database's current content.

A backup is one archive (tracker.ops.archive): the database's backup and the evidence
files. It is written to `<file>.partial`, readable by its owner only (it holds password
hashes), and renamed when complete: a file with the final name is a whole backup. An
existing file is never overwritten. Default name: `backups/hearings-<vendor>-<UTC time>.tar`.
A file is restored only if it is a backup of this app's kind of database (it has the
`django_migrations` table) and of the database's kind (PostgreSQL or SQLite). A bare
database backup (`.dump`, `.sqlite3`, as earlier versions wrote them) is still restored.
"""

import contextlib
import datetime
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection as default_connection

from . import archive

# vendor -> (name in messages, file suffix, the first bytes of such a file)
KINDS = {
    "postgresql": ("PostgreSQL", ".dump", b"PGDMP"),
    "sqlite": ("SQLite", ".sqlite3", b"SQLite format 3\x00"),
}
PG_TOOLS_HINT = "install PostgreSQL's client tools (Debian: apt-get install postgresql-client)"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def backup_dir() -> Path:
    return Path(settings.BASE_DIR) / "backups"


def vendor_of(connection) -> str:
    if connection.vendor not in KINDS:
        raise BackupError(
            f"backups support PostgreSQL and SQLite, not {connection.vendor} "
            f"(DATABASE_URL): use that database's own backup tools."
        )
    return connection.vendor


def default_path(connection, now: datetime.datetime | None = None) -> Path:
    """backups/hearings-<vendor>-<YYYYMMDDTHHMMSSZ>.tar, the time in UTC."""
    vendor = vendor_of(connection)
    moment = (now or datetime.datetime.now(tz=datetime.UTC)).astimezone(datetime.UTC)
    return backup_dir() / f"hearings-{vendor}-{moment:%Y%m%dT%H%M%SZ}.tar"


def _create_private(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError as error:
        raise BackupError(f"{path} exists: another backup is being written, or one failed; "
                          f"remove it and try again.") from error  # fmt: skip
    except OSError as error:
        raise BackupError(f"cannot write {path}: {error.strerror or error}") from error


def backup(path: Path | None = None, *, connection=default_connection) -> Path:
    """Write a backup archive (the database and the evidence files) to `path` (default:
    default_path) and return it."""
    vendor = vendor_of(connection)
    if path is None:
        path = default_path(connection)
        path.parent.mkdir(mode=0o700, exist_ok=True)
    path = Path(path)
    if path.exists():
        raise BackupError(
            f"{path} exists: choose another file name (backups are never overwritten)."
        )
    partial = path.with_name(path.name + ".partial")
    database = path.with_name(path.name + ".partial-database")
    _create_private(partial)
    try:
        _create_private(database)
        try:
            _database_backup(database, vendor, connection)
            archive.write(partial, database, vendor, using=connection.alias)
        finally:
            database.unlink(missing_ok=True)
        partial.rename(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def _database_backup(path: Path, vendor: str, connection) -> None:
    if vendor == "postgresql":
        _pg_run("pg_dump", connection, ["--format=custom", f"--file={path}"])
        return
    # From a connection of its own, read-only: what is committed, whatever the caller's
    # connection has open (a transaction holding SQLite's write lock, transaction_mode
    # IMMEDIATE, would keep the copy waiting for ever).
    name = Path(connection.settings_dict["NAME"]).resolve()
    source = sqlite3.connect(name.as_uri() + "?mode=ro", uri=True)
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def kind_of_file(path: Path) -> str:
    """The vendor whose backup `path` is (an archive's manifest says; a bare database
    backup by its first bytes); BackupError if none."""
    path = Path(path)
    if not path.exists():
        raise BackupError(f"no such file: {path}")
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    if archive.is_archive(path):
        try:
            return archive.manifest(path)["database"]
        except archive.ArchiveError as error:
            raise BackupError(str(error)) from error
    with path.open("rb") as file:
        start = file.read(16)
    for vendor, (_name, _suffix, magic) in KINDS.items():
        if start.startswith(magic):
            return vendor
    raise BackupError(
        f"{path} is not a backup: neither a PostgreSQL custom-format dump (pg_dump "
        f"--format=custom) nor a SQLite database."
    )


def check_backup(path: Path, vendor: str) -> None:
    """BackupError unless `path`, a file of `vendor`'s kind, is a backup of this app."""
    if not _has_migrations_table(vendor, Path(path)):
        raise BackupError(
            f"{path} is a {KINDS[vendor][0]} file but not a backup of this app "
            f"(it has no django_migrations table)."
        )


def restorable(path: Path, *, connection=default_connection) -> str:
    """The vendor, if `path` is a backup this database can restore; else BackupError."""
    vendor = vendor_of(connection)
    kind = kind_of_file(path)
    if kind != vendor:
        raise BackupError(
            f"{path} is a {KINDS[kind][0]} backup, but the database is {KINDS[vendor][0]}: "
            f"restore it into a {KINDS[kind][0]} database (set DATABASE_URL)."
        )
    if archive.is_archive(path):
        with _unpacked(path) as database:
            check_backup(database, vendor)
    else:
        check_backup(path, vendor)
    return vendor


@contextlib.contextmanager
def _unpacked(path: Path):
    try:
        with archive.database_file(path) as database:
            yield database
    except archive.ArchiveError as error:
        raise BackupError(str(error)) from error


def restore(path: Path, *, connection=default_connection) -> int:
    """Replace the database's content with the backup in `path`, then put its evidence
    files back in storage; returns how many files (none from a bare database backup)."""
    restorable(path, connection=connection)
    if connection.in_atomic_block:
        raise BackupError("cannot restore inside a transaction")
    if not archive.is_archive(path):
        _database_restore(path, connection)
        return 0
    with _unpacked(path) as database:
        _database_restore(database, connection)
    try:
        return archive.restore_files(path)
    except (archive.ArchiveError, OSError) as error:
        raise BackupError(
            f"the database is restored, but not every evidence file: {error}"
        ) from error


def _database_restore(path: Path, connection) -> None:
    vendor = connection.vendor
    if vendor == "postgresql":
        connection.close()  # holds no lock on the tables pg_restore drops
        _pg_run(
            "pg_restore",
            connection,
            ["--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", "--exit-on-error", str(path)],
        )  # fmt: skip
    else:
        source = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()


def _has_migrations_table(vendor: str, path: Path) -> bool:
    if vendor == "sqlite":
        source = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            found = source.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a readable SQLite database ({error}).") from error
        finally:
            source.close()
        return found is not None
    listing = _tool_run("pg_restore", ["--list", str(path)], env=None)
    return re.search(r"^\d+; [\d ]+ TABLE \S+ django_migrations\b", listing, re.M) is not None


def _pg_run(tool: str, connection, parameters: list[str]) -> str:
    """Run pg_dump or pg_restore on the connection's database, its password in the
    environment (never on the command line)."""
    settings_dict = connection.settings_dict
    args = ["--no-password"]
    if settings_dict.get("USER"):
        args.append(f"--username={settings_dict['USER']}")
    if settings_dict.get("HOST"):
        args.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        args.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("NAME"):
        args.append(f"--dbname={settings_dict['NAME']}")
    _args, env = connection.client.settings_to_cmd_args_env(settings_dict, [])
    return _tool_run(tool, args + parameters, env=env)


def _tool_run(tool: str, args: list[str], env: dict | None) -> str:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} is not installed: {PG_TOOLS_HINT}.")
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [executable, *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.returncode}")
    return result.stdout
