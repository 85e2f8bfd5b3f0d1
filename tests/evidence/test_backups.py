"""Evidence files in backups: `manage.py backup` (`make backup`) puts the files with the
database in one archive, and `manage.py restore` (`make restore`) brings both back; a
backup made before this archive (a bare database file) still restores; an archive with a
member that is no stored file's name is refused."""

import hashlib
import io
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.evidence import samples
from tests.evidence.conftest import record_with_files
from tests.evidence.test_uploads import stored_files
from tracker.evidence import services
from tracker.evidence.models import EvidenceFile
from tracker.ops import archive, backups


@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_the_files_and_a_restore_brings_them_back(
    loaded_report, users, line, tmp_path, evidence_storage, capsys
):
    focal, coordinator = users["focal-point"], users["coordinator"]
    record_with_files(line, focal, [
        samples.upload("hotline-report.pdf", samples.pdf()),
        samples.upload("leaflet.png", samples.png()),
    ])  # fmt: skip
    withdrawn = record_with_files(line, focal, [samples.upload("names.pdf", samples.pdf())], day=2)
    services.evidence_file_withdraw(
        evidence_file_id=withdrawn.evidence_files.get().pk, user=coordinator, reason="Names."
    )
    kept = {f.stored_name: f.sha256 for f in EvidenceFile.objects.filter(withdrawn_at=None)}
    path = tmp_path / "hearings.tar"
    call_command("backup", "-o", str(path))
    assert "and 2 evidence files" in capsys.readouterr().out
    with tarfile.open(path) as tar:
        members = {m.name for m in tar.getmembers()}
    assert {f"evidence/{name}" for name in kept} <= members  # the withdrawn one is not there
    assert len([m for m in members if m.startswith("evidence/")]) == 2

    # After the backup: the files' bytes lost, and another update with a file.
    for stored in stored_files(evidence_storage):
        stored.unlink()
    record_with_files(line, focal, [samples.upload("later.pdf", samples.pdf())], day=3)

    call_command("restore", str(path), interactive=False)
    assert "and 2 evidence files" in capsys.readouterr().out
    assert set(
        EvidenceFile.objects.filter(withdrawn_at=None).values_list("stored_name", flat=True)
    ) == set(kept)
    for name, sha256 in kept.items():
        data = (evidence_storage / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha256
    assert not EvidenceFile.objects.filter(original_name="later.pdf").exists()


@pytest.mark.django_db(transaction=True)
def test_a_bare_database_backup_of_an_earlier_version_still_restores(
    loaded_report, users, line, tmp_path
):
    path = tmp_path / "hearings.tar"
    call_command("backup", "-o", str(path))
    bare = tmp_path / f"old{backups.KINDS[connection.vendor][1]}"
    with tarfile.open(path) as tar:
        bare.write_bytes(tar.extractfile(archive.DATABASE[connection.vendor]).read())
    assert bare.read_bytes().startswith(backups.KINDS[connection.vendor][2])
    record_with_files(line, users["coordinator"], [samples.upload("a.pdf", samples.pdf())])
    call_command("restore", str(bare), interactive=False)
    assert not EvidenceFile.objects.exists()


def hostile_archive(tmp_path, member_name):
    """A real backup archive with one more member, named `member_name`."""
    path = tmp_path / "hearings.tar"
    call_command("backup", "-o", str(path))
    with tarfile.open(path, "a") as tar:
        info = tarfile.TarInfo(member_name)
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    return path


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["evidence/../../settings.py", "evidence/ab/not-a-uuid"])
def test_an_archive_member_that_is_no_stored_name_is_refused(
    loaded_report, tmp_path, evidence_storage, name
):
    path = hostile_archive(tmp_path, name)
    with pytest.raises(CommandError, match="holds an unexpected member"):
        call_command("restore", str(path), interactive=False)
    assert not (evidence_storage.parent / "settings.py").exists()


def test_a_tar_archive_of_something_else_is_no_backup(tmp_path):
    path = tmp_path / "photos.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("photo.png")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"\x89PNG"))
    with pytest.raises(backups.BackupError, match="a tar archive but not a backup of this app"):
        backups.kind_of_file(path)
