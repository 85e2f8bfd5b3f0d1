"""Virus scanning through clamd's INSTREAM protocol, against a fake clamd on a Unix socket
(tests/evidence/conftest.py: a thread that reads the command and the length-prefixed
chunks and answers as clamd does). Without a scanner, files are stored as not scanned and
the timeline says so."""

import pytest
from django.urls import reverse

from tests.evidence import samples
from tests.evidence.conftest import post_update
from tests.evidence.test_uploads import files_error, stored_files
from tracker.evidence import scanning, uploads
from tracker.evidence.models import EvidenceFile, Scan
from tracker.models import StatusUpdate

pytestmark = pytest.mark.django_db


def test_the_file_is_streamed_to_clamd_in_length_prefixed_chunks(fake_clamd):
    data = bytes(range(256)) * 1000  # 256,000 bytes: several chunks
    chunks = [data[i : i + uploads.CHUNK_BYTES] for i in range(0, len(data), uploads.CHUNK_BYTES)]
    assert len(chunks) > 1
    assert scanning.scan(iter(chunks)) == scanning.Verdict(infected=False)
    assert fake_clamd.commands == [b"zINSTREAM\0"]
    assert fake_clamd.streams == [data]


def test_clamd_finding_a_virus_is_a_verdict_naming_it(fake_clamd):
    verdict = scanning.scan([b"prefix ", samples.EICAR])
    assert verdict == scanning.Verdict(infected=True, signature="Eicar-Test-Signature")


def test_a_clamd_error_line_is_no_verdict(fake_clamd):
    fake_clamd.reply = b"INSTREAM size limit exceeded. ERROR\0"
    with pytest.raises(scanning.ScannerUnavailable, match="size limit exceeded"):
        scanning.scan([b"data"])


def test_a_missing_scanner_is_no_verdict(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "no-clamd-here.sock")
    with pytest.raises(scanning.ScannerUnavailable, match="no-clamd-here"):
        scanning.scan([b"data"])


def test_a_clean_upload_is_stored_as_scanned(client, users, line, fake_clamd):
    client.force_login(users["focal-point"])
    response = post_update(client, line, [samples.upload("report.pdf", samples.pdf())])
    assert response.status_code == 302
    assert EvidenceFile.objects.get().scan == Scan.CLEAN
    assert fake_clamd.streams == [samples.pdf()]
    page = client.get(reverse("recommendation", args=[line.recommendation.code]))
    assert "scanned, no virus found" in page.content.decode()


def test_an_infected_upload_is_refused_with_the_virus_named(
    client, users, line, fake_clamd, evidence_storage
):
    # A real PDF carrying the test signature: it passes the content check, not the scan.
    infected = samples.pdf() + samples.EICAR
    client.force_login(users["focal-point"])
    response = post_update(client, line, [samples.upload("report.pdf", infected)])
    assert response.status_code == 200
    assert (
        "“report.pdf” was not attached: the virus scanner found Eicar-Test-Signature in it. "
        "It is not stored" in files_error(response)
    )
    assert not StatusUpdate.objects.exists()
    assert stored_files(evidence_storage) == []


def test_a_configured_scanner_that_does_not_answer_refuses_the_upload(
    client, users, line, settings, tmp_path, evidence_storage
):
    settings.CLAMD_SOCKET = str(tmp_path / "clamd-is-down.sock")
    client.force_login(users["focal-point"])
    response = post_update(client, line, [samples.upload("report.pdf", samples.pdf())])
    assert "the virus scanner is not answering, so no file can be accepted now" in (
        files_error(response)
    )
    assert not StatusUpdate.objects.exists()
    assert stored_files(evidence_storage) == []


def test_without_a_scanner_files_are_stored_and_shown_as_not_scanned(client, users, line, settings):
    settings.CLAMD_SOCKET = ""
    client.force_login(users["focal-point"])
    assert post_update(client, line, [samples.upload("r.pdf", samples.pdf())]).status_code == 302
    assert EvidenceFile.objects.get().scan == Scan.NOT_SCANNED
    page = client.get(reverse("recommendation", args=[line.recommendation.code]))
    assert "not scanned (no virus scanner is configured)" in page.content.decode()


def test_a_tcp_address_needs_a_host_and_a_port(settings):
    settings.CLAMD_SOCKET = "tcp://clamd"
    with pytest.raises(scanning.ScannerUnavailable, match="needs a host and a port"):
        scanning.scan([b"data"])
