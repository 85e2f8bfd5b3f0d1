"""manage.py export_progress: the page's options on the command line, no size cap."""

import csv
import datetime
import io
import subprocess

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hearings.models import Recommendation
from tracker import services
from tracker.models import FollowUpLine, Status
from tracker.reports import columns

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(loaded_report, django_user_model):
    FollowUpLine.objects.update(created_at=datetime.datetime(2013, 7, 15, tzinfo=datetime.UTC))
    user = django_user_model.objects.create_superuser("coord", password="a-long-test-password")
    line = FollowUpLine.objects.get(recommendation__code="R30a", actor__key="governments")
    services.status_update_record(
        line_id=line.pk, user=user, status=Status.IN_PROGRESS, note="Recruitment code drafted",
        effective_date=datetime.date(2014, 9, 1), evidence_links=[], seen_version=0,
    )  # fmt: skip
    return line


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_pdf_for_a_theme_as_of_a_date(recorded, tmp_path):
    target = tmp_path / "report.pdf"
    _out, err = run("--format", "pdf", "--as-of", "2014-10-03", "--theme", "labour",
                    "-o", str(target))  # fmt: skip
    assert "Wrote" in err
    text = subprocess.run(  # noqa: S603
        ["pdftotext", str(target), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Progress as of 3 October 2014" in text
    assert "Theme: Migrant labour and mobility" in text
    assert "R30a" in text
    assert "Recruitment code drafted" in text
    assert "by manage.py export_progress" in text


def test_csv_to_standard_output(recorded):
    out, _err = run("--format", "csv", "--as-of", "2014-10-03", "--chapter", "v", "-o", "-")
    assert out.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(out[1:])))
    assert [columns.header_key(h) for h in header] == columns.COLUMN_KEYS
    row = next(r for r in rows if int(r[0]) == recorded.pk)
    assert row[columns.COLUMN_KEYS.index("status")] == "in-progress"
    chapter_v = Recommendation.objects.main().filter(paragraph__chapter__numeral="V")
    assert {r[1] for r in rows} <= set(chapter_v.values_list("code", flat=True))


def test_xlsx_with_history_and_docx_by_actor_have_no_cap(recorded, tmp_path, settings):
    settings.PROGRESS_REPORT_MAX_RECOMMENDATIONS = 1
    xlsx = tmp_path / "out.xlsx"
    run("--format", "xlsx", "--history", "--actor", "governments", "-o", str(xlsx))
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Summary", "Follow-up", "History"]
    assert [r[1] for r in book["History"].iter_rows(min_row=2, values_only=True)] == ["R30a"]

    target = tmp_path / "out.docx"
    run("--format", "docx", "--group-by", "actor", "--agenda", "recruitment", "-o", str(target))
    text = "\n".join(p.text for p in docx.Document(target).paragraphs)
    assert "Governments (Member States)" in text
    assert "R30a · " in text


def test_default_file_name_describes_the_export(recorded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("--format", "csv", "--as-of", "2014-10-03", "--theme", "labour", "--status",
        "in-progress")  # fmt: skip
    assert (tmp_path / "progress-2014-10-03-labour-in-progress.csv").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--theme", "labor"], "--theme: unknown theme 'labor'; known: diaspora, governance"),
        (["--agenda", "nowhere"], "--agenda: unknown agenda 'nowhere'"),
        (["--actor", "ministry-of-magic"], "--actor: unknown actor 'ministry-of-magic'"),
        (["--status", "done"], "--status: unknown status 'done'; use one of no-information"),
        (["--as-of", "2014-13-01"], "--as-of '2014-13-01': Enter a valid date."),
        (["--as-of", "2013-07-14"], "cannot be before the hearings"),
        (["--as-of", "2999-01-01"], "cannot be in the future"),
        (["--format", "odt"], "--format: unknown format 'odt'; use pdf, docx, xlsx or csv"),
        (["--group-by", "colour"], "--group-by: unknown grouping 'colour'"),
        (["--paragraph", "x"], "--paragraph: Enter a number."),
        (["--format", "pdf", "-o", "-"], "only CSV can go to standard output"),
        (["-o", "/nonexistent-folder/report.pdf"], "cannot write /nonexistent-folder/report.pdf"),
    ],
)
def test_bad_options_are_clear_errors(loaded_report, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args)
