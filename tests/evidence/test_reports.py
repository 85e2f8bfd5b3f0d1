"""Evidence files in the reports: listed by name and size in PDF and Word, linked in Excel
and CSV (absolute download links on PUBLIC_BASE_URL, withdrawn files left out); the import
ignores that column, so exporting and importing changes nothing."""

import pytest

from tests.evidence import samples
from tests.evidence.conftest import record_with_files
from tests.imports.test_imports import check_file, export_bytes
from tests.reports.test_exports import body, docx_text, export, pdf_text, read_csv, read_xlsx
from tracker.evidence import services
from tracker.evidence.models import EvidenceFile
from tracker.imports import reading
from tracker.reports import columns

pytestmark = pytest.mark.django_db

BASE = "https://tracker.example.org"


@pytest.fixture
def with_files(users, line, settings):
    """Two updates on the line: the earlier with one file, the latest with two files, one
    of them withdrawn since."""
    settings.PUBLIC_BASE_URL = BASE
    focal = users["focal-point"]
    record_with_files(line, focal, [samples.upload("plan-2014.pdf", samples.pdf())], day=1)
    record_with_files(line, focal, [
        samples.upload("hotline-report.pdf", samples.pdf()),
        samples.upload("leaflet.png", samples.png()),
        samples.upload("volunteer-list.xlsx", samples.xlsx()),
    ], day=30)  # fmt: skip
    services.evidence_file_withdraw(
        evidence_file_id=EvidenceFile.objects.get(original_name="volunteer-list.xlsx").pk,
        user=users["coordinator"],
        reason="Names volunteers.",
    )
    return {f.original_name: f for f in EvidenceFile.objects.all()}


def url(evidence_file) -> str:
    return f"{BASE}/evidence/{evidence_file.key}/"


def follow_up_row(rows, line):
    keys = [columns.header_key(cell) for cell in rows[0]]
    [row] = [dict(zip(keys, r, strict=True)) for r in rows[1:] if str(r[0]) == str(line.pk)]
    return row


def test_csv_links_the_latest_updates_files_in_the_order_they_were_attached(
    client, users, line, with_files
):
    client.force_login(users["viewer"])
    rows = read_csv(export(client, format="csv", paragraph="42"))
    row = follow_up_row(rows, line)
    assert row["evidence_files"].split("\n") == [
        url(with_files["hotline-report.pdf"]), url(with_files["leaflet.png"])
    ]  # fmt: skip
    # The links work: a logged-in reader downloads the file.
    path = row["evidence_files"].split("\n")[0].removeprefix(BASE)
    assert body(client.get(path)) == samples.pdf()


def test_csv_as_of_an_earlier_date_links_that_dates_files(client, users, line, with_files):
    client.force_login(users["viewer"])
    rows = read_csv(export(client, format="csv", paragraph="42", as_of="2014-01-15"))
    assert follow_up_row(rows, line)["evidence_files"] == url(with_files["plan-2014.pdf"])


def test_excel_links_files_on_the_follow_up_and_history_sheets(client, users, line, with_files):
    client.force_login(users["viewer"])
    book = read_xlsx(export(client, format="xlsx", paragraph="42", history="on"))
    rows = [[cell.value for cell in row] for row in book["Follow-up"].iter_rows()]
    assert follow_up_row(rows, line)["evidence_files"].split("\n") == [
        url(with_files["hotline-report.pdf"]), url(with_files["leaflet.png"])
    ]  # fmt: skip
    history = [[cell.value for cell in row] for row in book["History"].iter_rows()]
    keys = [columns.header_key(cell) for cell in history[0]]
    files = [dict(zip(keys, r, strict=True))["evidence_files"] for r in history[1:]]
    assert url(with_files["plan-2014.pdf"]) in files
    assert all("volunteer" not in (cell or "") for cell in files)


def test_pdf_lists_the_files_by_name_and_size(client, users, with_files, tmp_path):
    client.force_login(users["viewer"])
    text = pdf_text(export(client, format="pdf", paragraph="42", history="on"), tmp_path)
    flat = " ".join(text.split())
    assert f"hotline-report.pdf ({len(samples.pdf())} bytes)" in flat
    assert f"leaflet.png ({len(samples.png())} bytes)" in flat
    assert "plan-2014.pdf" in flat  # in the history
    assert "volunteer-list.xlsx" not in flat  # withdrawn


def test_word_lists_the_files_by_name_and_size(client, users, with_files):
    client.force_login(users["viewer"])
    text = docx_text(export(client, format="docx", paragraph="42", history="on"))
    assert f"hotline-report.pdf ({len(samples.pdf())}\xa0bytes)" in text
    assert f"leaflet.png ({len(samples.png())}\xa0bytes)" in text
    assert "plan-2014.pdf" in text
    assert "volunteer-list.xlsx" not in text


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_with_files_changes_nothing(users, line, with_files, kind):
    data = export_bytes(kind, ["R42.1"])
    table = reading.table_read(f"export.{kind}", data)
    assert "evidence_files" in table.columns  # read, and left alone
    check = check_file(users["coordinator"], data, f"export.{kind}")
    assert (check.changes, check.errors) == ([], [])
    assert check.unchanged >= 1
