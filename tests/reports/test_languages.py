"""Exports in the six UN languages: PDF, Word and Excel labels from the catalogues, Arabic
right to left, Chinese and Arabic fonts; the CSV's and the Follow-up sheet's headers the
same in every language (the import reads them)."""

import csv
import datetime
import io
import re
import zipfile
from urllib.parse import urlencode

import docx
import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from hearings.models import Recommendation
from tests.imports.test_imports import client_for, make_account
from tests.jobs.helpers import run_queued
from tracker.jobs.models import Job
from tracker.models import Role, Status
from tracker.reports import columns, pdf, writing
from tracker.reports.document import build
from tracker.reports.forms import ExportForm
from tracker.reports.options import ExportOptions
from tracker.reports.workbook import sheet_name

from .languages import pdf_fonts, pdf_text, translated

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2014, 10, 3)


def options(language, fmt, **kwargs) -> ExportOptions:
    return ExportOptions(
        recommendations=Recommendation.objects.main().filter(theme__key="labour"),
        as_of=AS_OF, format=fmt, language=language, **kwargs,
    )  # fmt: skip


def written(language, fmt, tmp_path, **kwargs):
    path = tmp_path / f"report-{language}.{fmt}"
    with path.open("wb") as out:
        writing.write(options(language, fmt, **kwargs), out)
    return path


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize(
    ("language", "font"), [("ar", "Noto"), ("zh-hans", "Noto"), ("en", "Liberation")]
)
def test_pdf_in_arabic_and_chinese_has_their_labels_and_fonts(loaded_report, tmp_path,
                                                              language, font):  # fmt: skip
    path = written(language, "pdf", tmp_path)
    text, fonts = pdf_text(path), pdf_fonts(path)
    if language != "en":
        assert translated(language, "Summary") in text
        assert translated(language, str(Status.IN_PROGRESS.label)) in text
    assert font in fonts
    assert "R30a" in text  # codes as they are, in every language


def test_pdf_html_is_marked_with_the_language_and_mirrored_in_arabic(loaded_report):
    with translation.override("ar"):
        html = pdf.render_html(build(options("ar", "pdf")))
    assert '<html lang="ar" dir="rtl">' in html
    # The report's own text stays English, left to right; codes are isolated.
    assert '<blockquote class="rec__text" lang="en" dir="ltr">' in html
    assert '<bdi class="rec__code" dir="ltr">R30a</bdi>' in html
    assert 'transform="translate(100 0) scale(-1 1)"' in html  # the bars start on the right
    with translation.override("zh-hans"):
        html = pdf.render_html(build(options("zh-hans", "pdf")))
    assert '<html lang="zh-hans" dir="ltr">' in html
    assert "scale(-1 1)" not in html


def test_word_in_arabic_is_right_to_left_with_its_labels(loaded_report, tmp_path):
    path = written("ar", "docx", tmp_path)
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert translated("ar", "Summary") in text
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert translated("ar", str(Status.IN_PROGRESS.label)) in cells
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "<w:bidiVisual/>" in xml  # tables right to left
    assert "<w:bidi/>" in xml
    assert "<w:rtl/>" in xml
    # The report's own words (the quotes) stay left to right, in English.
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes
    for quote in quotes:
        assert 'w:bidi w:val="0"' in quote._p.xml
        assert 'w:lang w:val="en-GB"' in quote._p.xml
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode()
    assert 'w:bidi="ar-SA"' in styles
    assert "Noto Naskh Arabic" in styles


def test_word_in_chinese_is_tagged_for_east_asian_text(loaded_report, tmp_path):
    path = written("zh-hans", "docx", tmp_path)
    document = docx.Document(str(path))
    assert translated("zh-hans", "Summary") in "\n".join(p.text for p in document.paragraphs)
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode()
    assert '<w:lang w:val="en-GB" w:eastAsia="zh-CN" w:bidi="ar-SA"/>' in styles
    assert "Noto Sans CJK SC" in styles
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "<w:bidiVisual/>" not in xml
    assert "<w:bidi/>" not in xml
    french = zipfile.ZipFile(written("fr", "docx", tmp_path)).read("word/styles.xml").decode()
    assert '<w:lang w:val="fr-FR" w:eastAsia="zh-CN" w:bidi="ar-SA"/>' in french


def test_excel_in_arabic_is_right_to_left_with_translated_sheet_names(loaded_report, tmp_path):
    book = openpyxl.load_workbook(written("ar", "xlsx", tmp_path, history=True))
    assert book.sheetnames == [sheet_name(translated("ar", label))
                               for label in ("Summary", "Follow-up", "History")]  # fmt: skip
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    summary = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert translated("ar", str(Status.IN_PROGRESS.label)) in summary
    # The Follow-up sheet's headers are the CSV's: English, whatever the language.
    follow_up = next(book.worksheets[1].iter_rows(max_row=1, values_only=True))
    assert list(follow_up) == columns.stable_headers(columns.FOLLOW_UP_COLUMNS)
    english = openpyxl.load_workbook(written("en", "xlsx", tmp_path))
    assert not any(sheet.sheet_view.rightToLeft for sheet in english.worksheets)


def test_sheet_names_are_ones_excel_accepts():
    assert sheet_name("Follow-up [a/b]: *who?*\\") == "Follow-up a b who"
    assert len(sheet_name("x" * 40)) == 31
    assert sheet_name("'") == "Sheet"


def test_csv_headers_are_the_same_in_every_language(loaded_report, tmp_path):
    headers = set()
    for language, _name in settings.LANGUAGES:
        text = written(language, "csv", tmp_path).read_bytes().decode("utf-8-sig")
        headers.add(tuple(next(csv.reader(io.StringIO(text)))))
    assert len(headers) == 1
    assert [columns.header_key(h) for h in headers.pop()] == columns.COLUMN_KEYS
    assert translated("fr", "Summary")  # the catalogues are compiled: the check is real


def test_the_export_page_offers_the_languages_defaulting_to_the_users(loaded_report):
    with translation.override("fr"):
        form = ExportForm()
        assert form.fields["language"].initial == "fr"
        assert ExportForm({"format": "csv", "as_of": "2014-10-03", "grouping": "theme"}).is_valid()
    assert [code for code, _name in form.fields["language"].choices] == [
        code for code, _name in settings.LANGUAGES
    ]
    assert ("zh-hans", "简体中文") in list(form.fields["language"].choices)  # in its own name
    bad = ExportForm({"format": "csv", "as_of": "2014-10-03", "grouping": "theme",
                      "language": "xx"})  # fmt: skip
    assert not bad.is_valid()
    assert "language" in bad.errors


def test_the_export_page_writes_the_language_chosen(loaded_report):
    client = client_for(make_account("viewer", Role.VIEWER))
    query = {"theme": "labour", "as_of": "2014-10-03", "grouping": "theme", "download": "1"}
    response = client.get(reverse("export"), {**query, "format": "xlsx", "language": "ar"})
    assert response.status_code == 200, response.content[:500]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[0] == sheet_name(translated("ar", "Summary"))
    assert book.worksheets[0].sheet_view.rightToLeft
    # Streamed CSV: the overdue column's words in the language chosen, headers in English.
    response = client.get(reverse("export"), {**query, "format": "csv", "language": "fr"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == columns.stable_headers(columns.FOLLOW_UP_COLUMNS)
    with translation.override("fr"):
        no = translation.gettext("no")
    assert {row[columns.COLUMN_KEYS.index("overdue")] for row in rows[1:]} == {no}


def test_export_progress_in_arabic_and_an_unknown_language(loaded_report, tmp_path):
    target = tmp_path / "report.pdf"
    call_command("export_progress", "--format", "pdf", "--as-of", "2014-10-03", "--theme",
                 "labour", "--language", "ar", "-o", str(target),
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert translated("ar", "Summary") in pdf_text(target)
    target = tmp_path / "report.xlsx"
    call_command("export_progress", "--format", "xlsx", "--language", "zh_Hans", "-o",
                 str(target), stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert openpyxl.load_workbook(target).sheetnames[0] == translated("zh-hans", "Summary")
    with pytest.raises(CommandError) as refused:
        call_command("export_progress", "--format", "pdf", "--language", "xx",
                     "-o", str(tmp_path / "x.pdf"))  # fmt: skip
    assert str(refused.value) == (
        "--language: unknown language 'xx'; use ar, zh-hans, en, fr, ru, es"
    )
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.usefixtures("jobs_here")
def test_a_report_made_in_the_background_is_in_the_language_asked(
    loaded_report, settings, django_capture_on_commit_callbacks
):
    settings.BACKGROUND_REPORT_MIN_RECOMMENDATIONS = 3
    client = client_for(make_account("focal", Role.FOCAL_POINT, ["civil-society"]))
    query = urlencode({"theme": "labour", "as_of": "2014-10-03", "grouping": "theme",
                       "format": "docx", "language": "ar", "download": "1"})  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("export-background"), {"query": query})
    job = Job.objects.get()
    assert job.parameters["language"] == "ar"
    assert job.parameters["filters"] == "theme=labour"
    with translation.override("en"):  # the worker's own language is the default one
        assert run_queued() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    download = client.get(reverse("job-download", args=[job.pk]))
    data = b"".join(download.streaming_content)
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert translated("ar", "Summary") in headings
    assert b"<w:bidiVisual/>" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
