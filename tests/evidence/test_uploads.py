"""Attaching files to a status update through the form: accepted and refused by content,
not by name; size and count limits from the settings; the error beside the field names
the file and the reason; nothing is stored unless the update is recorded."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.evidence import samples
from tests.evidence.conftest import post_update, record_with_files
from tracker.evidence.models import EvidenceFile, Kind, Scan
from tracker.models import StatusUpdate

pytestmark = pytest.mark.django_db


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


def files_error(response) -> str:
    match = re.search(r'<ul class="errorlist" id="id_evidence_files_error">(.*?)</ul>',
                      response.content.decode(), re.S)  # fmt: skip
    return unescape(re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""


ACCEPTED = [
    ("report.pdf", samples.pdf, Kind.PDF),
    ("Photo.PNG", samples.png, Kind.PNG),
    ("photo.jpg", samples.jpeg, Kind.JPEG),
    ("photo.jpeg", samples.jpeg, Kind.JPEG),
    ("chart.gif", samples.gif, Kind.GIF),
    ("chart.webp", samples.webp, Kind.WEBP),
    ("minutes.docx", samples.docx, Kind.DOCX),
    ("figures.xlsx", samples.xlsx, Kind.XLSX),
    ("slides.pptx", samples.pptx, Kind.PPTX),
    ("minutes.odt", samples.odt, Kind.ODT),
    ("figures.ods", lambda: samples.opendocument("application/vnd.oasis.opendocument.spreadsheet"),
     Kind.ODS),
    ("slides.odp", lambda: samples.opendocument("application/vnd.oasis.opendocument.presentation"),
     Kind.ODP),
    ("minutes-1998.doc", samples.doc, Kind.DOC),
    ("figures-1998.xls", samples.xls, Kind.XLS),
]  # fmt: skip


@pytest.mark.parametrize(("name", "make", "kind"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_each_accepted_kind_is_stored_with_its_name_size_and_type(
    client, users, line, evidence_storage, name, make, kind
):
    data = make()
    client.force_login(users["focal-point"])
    # The browser's content type is never believed.
    response = post_update(client, line, [samples.upload(name, data, "text/html")])
    assert response.status_code == 302, files_error(response)
    [evidence_file] = EvidenceFile.objects.all()
    assert (evidence_file.original_name, evidence_file.size, evidence_file.kind) == (
        name, len(data), kind,
    )  # fmt: skip
    assert evidence_file.scan == Scan.NOT_SCANNED
    assert evidence_file.update == StatusUpdate.objects.get()
    # Stored under a random name, not the original one; the bytes as uploaded.
    [path] = stored_files(evidence_storage)
    assert name not in str(path)
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{32}", str(path.relative_to(evidence_storage)))
    assert path.read_bytes() == data


REFUSED = [
    ("scan.png", samples.pdf, "It is a PDF document, but its name ends in “.png”"),
    ("photo.pdf", samples.png, "It is a PNG image, but its name ends in “.pdf”"),
    ("photo", samples.png, "its name has no ending: rename it to end in “.png”"),
    ("logo.svg", samples.svg, "SVG images are not accepted"),
    ("logo.png", samples.svg, "SVG images are not accepted"),
    ("minutes.docm", samples.docm, "Documents with macros are not accepted"),
    ("minutes.docx", samples.docm, "Documents with macros are not accepted"),
    ("figures.xlsm", samples.xlsm, "Documents with macros are not accepted"),
    ("slides.pptm", samples.pptm, "Documents with macros are not accepted"),
    ("slides.pptx", samples.pptm, "Documents with macros are not accepted"),
    ("figures.xlsx", samples.xlsx_with_vba_project, "Documents with macros are not accepted"),
    ("minutes.odt", samples.odt_with_basic_macros, "Documents with macros are not accepted"),
    ("minutes.doc", samples.doc_with_macros, "Documents with macros are not accepted"),
    ("figures.xls", samples.xls_with_macros, "Documents with macros are not accepted"),
    ("evidence.zip", samples.plain_zip, "Zip archives are not accepted"),
    ("page.pdf", lambda: b"<html><script>alert(1)</script></html>", "not accepted"),
    ("setup.pdf", lambda: b"MZ\x90\x00" + bytes(200), "This type of file is not accepted"),
    ("broken.docx", lambda: samples.docx()[:300], "damaged"),
    ("empty.pdf", lambda: b"", "The file is empty"),
]


@pytest.mark.parametrize(("name", "make", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_files_are_named_with_the_reason_and_nothing_is_recorded(
    client, users, line, evidence_storage, name, make, reason
):
    client.force_login(users["coordinator"])
    response = post_update(client, line, [samples.upload(name, make(), "application/pdf")])
    assert response.status_code == 200
    error = files_error(response)
    assert f"“{name}” was not attached:" in error
    assert reason in error
    assert not StatusUpdate.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert stored_files(evidence_storage) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    client, users, line, settings, evidence_storage
):
    settings.EVIDENCE_FILE_MAX_BYTES = 1000
    big = samples.pdf().ljust(1001, b" ")
    client.force_login(users["coordinator"])
    response = post_update(client, line, [samples.upload("big.pdf", big)])
    assert (
        "“big.pdf” was not attached: it is 1001\xa0bytes; a file may be at most 1000\xa0bytes."
        in (files_error(response))
    )
    assert not StatusUpdate.objects.exists()
    # At the limit itself: accepted.
    response = post_update(client, line, [samples.upload("big.pdf", big[:1000])])
    assert response.status_code == 302


def test_more_files_than_the_limit_are_refused(client, users, line, settings, evidence_storage):
    settings.EVIDENCE_FILES_MAX = 2
    client.force_login(users["coordinator"])

    def files(n):
        return [samples.upload(f"page-{i}.png", samples.png()) for i in range(n)]

    response = post_update(client, line, files(3))
    assert "At most 2 files per update; you attached 3." in files_error(response)
    assert not StatusUpdate.objects.exists()
    assert stored_files(evidence_storage) == []
    response = post_update(client, line, files(2))
    assert response.status_code == 302
    assert EvidenceFile.objects.count() == 2


def test_each_refused_file_is_named_and_the_good_ones_must_be_attached_again(client, users, line):
    client.force_login(users["coordinator"])
    response = post_update(client, line, [
        samples.upload("report.pdf", samples.pdf()),
        samples.upload("macro.docm", samples.docm()),
        samples.upload("logo.svg", samples.svg()),
    ])  # fmt: skip
    error = files_error(response)
    assert "“macro.docm” was not attached" in error
    assert "“logo.svg” was not attached" in error
    assert "report.pdf" not in error
    assert not StatusUpdate.objects.exists()


def test_valid_files_on_an_invalid_form_must_be_attached_again(client, users, line):
    client.force_login(users["coordinator"])
    response = post_update(client, line, [samples.upload("report.pdf", samples.pdf())], note="")
    assert response.status_code == 200
    assert "Nothing was stored: attach “report.pdf” again before you submit." in (
        files_error(response)
    )
    assert not EvidenceFile.objects.exists()


def test_the_form_is_multipart_and_offers_the_accepted_endings(client, users, line):
    client.force_login(users["focal-point"])
    html = client.get(reverse("line-update", args=[line.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in html
    field = re.search(r'<input type="file" name="evidence_files"[^>]*>', html).group(0)
    assert "multiple" in field
    for ending in (".pdf", ".docx", ".webp"):
        assert ending in field
    assert ".svg" not in field
    assert "Up to 5 files of at most 20.0\xa0MB each" in html


def test_a_stale_form_stores_nothing_and_asks_for_the_files_again(
    client, users, line, evidence_storage
):
    client.force_login(users["focal-point"])
    stale = {"version": "0"}
    record_with_files(line, users["coordinator"], [samples.upload("first.pdf", samples.pdf())])
    response = post_update(client, line, [samples.upload("mine.pdf", samples.pdf())], **stale)
    assert response.status_code == 200
    assert "coordinator recorded an update on this line" in response.content.decode().lower()
    assert "attach “mine.pdf” again" in files_error(response)
    assert list(EvidenceFile.objects.values_list("original_name", flat=True)) == ["first.pdf"]
    assert len(stored_files(evidence_storage)) == 1  # the refused upload's bytes are gone


def test_a_failure_while_recording_deletes_the_stored_bytes(
    client, users, line, evidence_storage, monkeypatch
):
    from tracker import services

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "progress_refresh", fail)
    with pytest.raises(RuntimeError):
        record_with_files(line, users["coordinator"], [samples.upload("a.pdf", samples.pdf())])
    assert not EvidenceFile.objects.exists()
    assert not StatusUpdate.objects.exists()
    assert stored_files(evidence_storage) == []


def test_only_checked_files_are_ever_stored(users, line):
    from tracker import services

    with pytest.raises(TypeError, match="only files checked"):
        services.status_update_record(
            line_id=line.pk, user=users["coordinator"], status="planned", note="x",
            effective_date=line.followed_since, evidence_links=[], seen_version=0,
            evidence_files=[samples.upload("a.pdf", samples.pdf())],
        )  # fmt: skip
    assert not StatusUpdate.objects.exists()
