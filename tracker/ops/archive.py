"""The backup archive: one tar file holding the database's backup and the evidence files,
so that a backup is one file to copy off the machine and restores whole.

Members: `database.dump` (PostgreSQL) or `database.sqlite3` (SQLite), as tracker.ops.backups
writes them; `evidence/<name in storage>` for every evidence file not withdrawn, read
through the storage API (a bucket is backed up as a folder is); last, `hearings-backup.json`
saying what the archive is. Not compressed: the dump and most documents and images already
are, and a member can be read without unpacking the ones before it.
"""

import json
import re
import shutil
import tarfile
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File

from tracker.evidence.models import EvidenceFile
from tracker.evidence.services import storage

MANIFEST = "hearings-backup.json"
APP = "hearings-tracker"
FORMAT = 1
FILES = "evidence/"
# Names the app gives files in storage (tracker.evidence.services.new_stored_name): a
# member named otherwise is never written anywhere.
STORED_NAME = re.compile(r"[0-9a-f]{2}/[0-9a-f]{32}")
DATABASE = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class ArchiveError(Exception):
    """The archive cannot be written or read; the message says why."""


def _add_bytes(archive, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    archive.addfile(info, fileobj=_Reader(data))


class _Reader:
    def __init__(self, data):
        self.data, self.position = data, 0

    def read(self, n=-1):
        end = len(self.data) if n < 0 else self.position + n
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        return chunk


def write(out: Path, database: Path, vendor: str, *, using: str = "default") -> dict:
    """Write the archive to `out` (an empty file): the database backup in `database`, then
    the evidence files. Returns its manifest (with the files missing from storage)."""
    files = EvidenceFile.objects.using(using).filter(withdrawn_at__isnull=True)
    names = list(files.order_by("pk").values_list("stored_name", flat=True))
    missing = []
    store = storage()
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as archive:
        info = archive.gettarinfo(str(database), arcname=DATABASE[vendor])
        info.mode = 0o600
        with database.open("rb") as stream:
            archive.addfile(info, fileobj=stream)
        for name in names:
            try:
                stream = store.open(name, "rb")
            except FileNotFoundError:
                missing.append(name)
                continue
            with stream:
                info = tarfile.TarInfo(FILES + name)
                info.size, info.mtime, info.mode = stream.size, int(time.time()), 0o600
                archive.addfile(info, fileobj=stream)
        manifest = {
            "app": APP,
            "format": FORMAT,
            "database": vendor,
            "evidence_files": len(names) - len(missing),
            "missing_evidence_files": missing,
        }
        _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
    return manifest


def is_archive(path: Path) -> bool:
    try:
        return tarfile.is_tarfile(path)
    except OSError:
        return False


def manifest(path: Path) -> dict:
    """The archive's manifest; ArchiveError if it is no backup archive of this app."""
    try:
        with tarfile.open(path, "r:") as archive:
            data = json.loads(archive.extractfile(MANIFEST).read())
    except (KeyError, tarfile.TarError, ValueError, AttributeError) as error:
        raise ArchiveError(f"{path} is a tar archive but not a backup of this app.") from error
    if not isinstance(data, dict) or data.get("app") != APP or data.get("database") not in DATABASE:
        raise ArchiveError(f"{path} is a tar archive but not a backup of this app.")
    if data.get("format") != FORMAT:
        raise ArchiveError(f"{path} is a backup in a format this version cannot read.")
    return data


@contextmanager
def database_file(path: Path):
    """The archive's database backup, unpacked into a private temporary folder."""
    vendor = manifest(path)["database"]
    folder = Path(tempfile.mkdtemp(prefix="hearings-restore-"))
    try:
        target = folder / DATABASE[vendor]
        with tarfile.open(path, "r:") as archive:
            source = archive.extractfile(DATABASE[vendor])
            if source is None:
                raise ArchiveError(f"{path} holds no database backup.")
            with source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
        yield target
    except KeyError as error:
        raise ArchiveError(f"{path} holds no database backup.") from error
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def restore_files(path: Path) -> int:
    """Put the archive's evidence files back in storage, under their names; returns how
    many. A file of the same name is replaced (restoring is replacing)."""
    store, count = storage(), 0
    with tarfile.open(path, "r:") as archive:
        for member in archive:
            if not member.name.startswith(FILES):
                continue
            name = member.name.removeprefix(FILES)
            if not member.isfile() or not STORED_NAME.fullmatch(name):
                raise ArchiveError(f"{path} holds an unexpected member {member.name!r}.")
            if store.exists(name):
                store.delete(name)
            with archive.extractfile(member) as source:
                saved = store.save(name, File(source, name=name))
            if saved != name:
                raise ArchiveError(f"the file store renamed {name} to {saved}.")
            count += 1
    return count
