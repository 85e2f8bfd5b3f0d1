"""Downloading and withdrawing evidence files: a file uploaded by one actor's focal point is
downloaded by every other staff user and by no anonymous visitor; downloads are
attachments under the original name, nosniff and sandboxed, streamed; a coordinator's
withdrawal deletes the bytes, keeps the row, is audited, and the download then answers
410 Gone saying who withdrew it and why."""

from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, OperationalError, transaction
from django.http import FileResponse
from django.urls import reverse

from tests.evidence import samples
from tests.evidence.conftest import record_with_files
from tests.evidence.test_uploads import stored_files
from tracker.evidence.models import EvidenceFile

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "other-focal-point", "focal-point", "coordinator", "superuser"]


@pytest.fixture
def evidence_file(users, line):
    record_with_files(line, users["focal-point"], [samples.upload("hotline-report.pdf",
                                                                  samples.pdf())])  # fmt: skip
    return EvidenceFile.objects.get()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_role_downloads_a_file_another_actors_focal_point_uploaded(
    client, users, evidence_file, role
):
    client.force_login(users[role])
    response = client.get(evidence_file.get_absolute_url())
    assert response.status_code == 200
    assert isinstance(response, FileResponse)  # streamed, never read whole into memory
    assert body(response) == samples.pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="hotline-report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Content-Length"] == str(len(samples.pdf()))


def test_an_anonymous_visitor_is_sent_to_log_in_and_gets_nothing(client, evidence_file):
    url = evidence_file.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/auth/login/"
    assert parse_qs(location.query)["next"] == [url]
    assert b"%PDF" not in response.content


def test_an_inactive_account_downloads_nothing(client, users, evidence_file):
    users["viewer"].is_active = False
    users["viewer"].save()
    client.force_login(users["viewer"])
    assert client.get(evidence_file.get_absolute_url()).status_code in (302, 403)


def test_the_url_holds_a_random_key_and_an_unknown_key_is_404(client, users, evidence_file):
    url = evidence_file.get_absolute_url()
    assert str(evidence_file.key) in url
    assert str(evidence_file.pk) not in url.split("/")
    assert evidence_file.stored_name not in url
    client.force_login(users["viewer"])
    unknown = url.replace(str(evidence_file.key)[:8], "00000000")
    assert client.get(unknown).status_code == 404
    assert client.get("/evidence/not-a-key/").status_code == 404


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("rapport final.pdf", 'attachment; filename="rapport final.pdf"'),
        ('a "quoted" name.pdf', 'attachment; filename="a \\"quoted\\" name.pdf"'),
        ("informe-migración.pdf", "attachment; filename*=utf-8''informe-migraci%C3%B3n.pdf"),
        ("报告.pdf", "attachment; filename*=utf-8''%E6%8A%A5%E5%91%8A.pdf"),
    ],
)
def test_the_original_name_is_sent_encoded_as_rfc_6266_and_5987_say(
    client, users, line, name, header
):
    record_with_files(line, users["coordinator"], [samples.upload(name, samples.pdf())])
    client.force_login(users["viewer"])
    response = client.get(EvidenceFile.objects.get().get_absolute_url())
    assert response["Content-Disposition"] == header


def test_the_timeline_lists_each_file_with_its_size_type_and_link(client, users, line):
    record_with_files(line, users["focal-point"], [
        samples.upload("report.pdf", samples.pdf()), samples.upload("photo.png", samples.png()),
    ])  # fmt: skip
    client.force_login(users["viewer"])
    html = client.get(reverse("recommendation", args=[line.recommendation.code])).content.decode()
    for evidence_file in EvidenceFile.objects.all():
        assert f'href="{evidence_file.get_absolute_url()}"' in html
        assert f">{evidence_file.original_name}</a>" in html
    assert f"PDF document, {len(samples.pdf())}\xa0bytes" in html
    assert f"PNG image, {len(samples.png())}\xa0bytes" in html
    assert "Withdraw" not in html  # a viewer may not withdraw


# ---------------------------------------------------------------- withdrawal


def withdraw(client, evidence_file, reason="Holds a migrant's home address."):
    return client.post(reverse("evidence-withdraw", args=[evidence_file.key]), {"reason": reason})


def test_a_coordinator_withdraws_a_file_its_bytes_go_and_its_row_stays(
    client, users, line, evidence_file, evidence_storage
):
    client.force_login(users["coordinator"])
    page = client.get(reverse("recommendation", args=[line.recommendation.code])).content.decode()
    assert reverse("evidence-withdraw", args=[evidence_file.key]) in page
    response = withdraw(client, evidence_file)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#update-{evidence_file.update_id}")
    evidence_file.refresh_from_db()
    assert evidence_file.withdrawn_by == users["coordinator"]
    assert evidence_file.withdrawal_reason == "Holds a migrant's home address."
    assert evidence_file.original_name == "hotline-report.pdf"
    assert stored_files(evidence_storage) == []
    # Audited: who, and the three fields.
    entry = LogEntry.objects.get_for_object(evidence_file).get()
    assert entry.actor == users["coordinator"]
    assert set(entry.changes_dict) == {"withdrawn_at", "withdrawn_by", "withdrawal_reason"}
    # The timeline shows it in the file's place.
    page = client.get(reverse("recommendation", args=[line.recommendation.code])).content.decode()
    assert "withdrawn by Coordinator on" in page
    assert ": Holds a migrant&#x27;s home address." in page
    assert f'href="{evidence_file.get_absolute_url()}"' not in page


@pytest.mark.parametrize("role", ROLES)
def test_after_withdrawal_the_download_is_gone_and_says_who_and_why(
    client, users, evidence_file, role
):
    client.force_login(users["coordinator"])
    withdraw(client, evidence_file)
    client.force_login(users[role])
    response = client.get(evidence_file.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert "This file was withdrawn" in html
    assert "“hotline-report.pdf” was withdrawn by Coordinator on" in html
    assert "Holds a migrant&#x27;s home address." in html


def test_a_withdrawal_needs_a_reason(client, users, evidence_file, evidence_storage):
    client.force_login(users["coordinator"])
    response = withdraw(client, evidence_file, reason="   ")
    assert response.status_code == 200
    assert "Say why the file is withdrawn." in response.content.decode()
    evidence_file.refresh_from_db()
    assert not evidence_file.is_withdrawn
    assert len(stored_files(evidence_storage)) == 1


def test_withdrawing_twice_is_410_and_changes_nothing(client, users, evidence_file):
    client.force_login(users["coordinator"])
    withdraw(client, evidence_file, reason="First reason.")
    client.force_login(users["superuser"])
    assert withdraw(client, evidence_file, reason="Second reason.").status_code == 410
    evidence_file.refresh_from_db()
    assert evidence_file.withdrawal_reason == "First reason."
    assert evidence_file.withdrawn_by == users["coordinator"]


@pytest.mark.parametrize("role", ["viewer", "other-focal-point", "focal-point"])
def test_only_coordinators_withdraw(client, users, evidence_file, evidence_storage, role):
    client.force_login(users[role])
    assert client.get(reverse("evidence-withdraw", args=[evidence_file.key])).status_code == 403
    assert withdraw(client, evidence_file).status_code == 403
    evidence_file.refresh_from_db()
    assert not evidence_file.is_withdrawn
    assert len(stored_files(evidence_storage)) == 1


def test_a_file_missing_from_storage_is_a_page_that_says_so(
    client, users, evidence_file, evidence_storage
):
    for path in stored_files(evidence_storage):
        path.unlink()
    client.force_login(users["viewer"])
    response = client.get(evidence_file.get_absolute_url())
    assert response.status_code == 404
    assert "This file is missing" in response.content.decode()


# ---------------------------------------------------------------- append-only


def test_the_model_refuses_edits_and_deletes(evidence_file):
    evidence_file.original_name = "renamed.pdf"
    with pytest.raises(ValidationError, match="never changed"):
        evidence_file.save()
    with pytest.raises(ValidationError, match="never changed"):
        evidence_file.save(update_fields=["original_name"])
    with pytest.raises(ValidationError, match="never deleted"):
        evidence_file.delete()


def test_the_database_refuses_edits_but_a_withdrawal(users, evidence_file):
    refused = (IntegrityError, InternalError, OperationalError)
    with pytest.raises(refused), transaction.atomic():
        EvidenceFile.objects.filter(pk=evidence_file.pk).update(original_name="renamed.pdf")
    with pytest.raises(refused), transaction.atomic():
        EvidenceFile.objects.filter(pk=evidence_file.pk).update(
            withdrawn_at=evidence_file.update.recorded_at, withdrawn_by=users["coordinator"],
            withdrawal_reason="x", stored_name="elsewhere",
        )  # fmt: skip
    EvidenceFile.objects.filter(pk=evidence_file.pk).update(
        withdrawn_at=evidence_file.update.recorded_at, withdrawn_by=users["coordinator"],
        withdrawal_reason="Wrong line.",
    )  # fmt: skip
    with pytest.raises(refused), transaction.atomic():  # and never back
        EvidenceFile.objects.filter(pk=evidence_file.pk).update(
            withdrawn_at=None, withdrawn_by=None, withdrawal_reason=""
        )


def test_the_withdrawal_page_has_the_sites_strict_policy(client, users, evidence_file):
    client.force_login(users["coordinator"])
    response = client.get(reverse("evidence-withdraw", args=[evidence_file.key]))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "sandbox" not in response["Content-Security-Policy"]


def test_the_withdrawal_reads_in_the_audit_log(client, users, evidence_file):
    client.force_login(users["coordinator"])
    withdraw(client, evidence_file, reason="Wrong line.")
    response = client.get(reverse("audit"), {"kind": "evidence.evidencefile"})
    html = response.content.decode()
    assert "Evidence file" in html
    assert "Reason for withdrawal" in html
    assert "Wrong line." in html
    assert "Withdrawn by" in html
