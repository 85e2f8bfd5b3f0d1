"""What a report names in another language than English: themes, agenda points and actors
by their translated names in the PDF's, Word's and Excel's summaries (the follow-up sheet's
data stays English, for the import), and lists joined in the language's way; the file's
name carries the language, so two languages' files do not overwrite each other."""

import datetime
import io

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from hearings.models import AgendaPoint, Recommendation, Theme
from tests.imports.test_imports import client_for, make_account
from tracker.models import Role
from tracker.reports import pdf, writing
from tracker.reports.document import build
from tracker.reports.options import ExportOptions

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2014, 10, 3)


def options(language, fmt, **kwargs) -> ExportOptions:
    kwargs.setdefault("recommendations", Recommendation.objects.main().filter(theme__key="labour"))
    return ExportOptions(as_of=AS_OF, format=fmt, language=language, **kwargs)


def local(obj, language, attribute="local_title") -> str:
    with translation.override(language):
        return getattr(obj, attribute)


def summary_rows(html: str) -> str:
    """The PDF's summary section (its charts' tables), before the first group's section."""
    return html.split('<section class="summary">', 1)[1].split('<section class="group', 1)[0]


@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_the_pdf_summary_names_themes_and_agenda_points_in_the_reports_language(
    loaded_report, language
):
    theme = Theme.objects.get(key="labour")
    point = AgendaPoint.objects.order_by("number").first()
    assert local(theme, language) != theme.title, "the theme has no translation"
    assert local(point, language) != point.title, "the agenda point has no translation"
    with translation.override(language):
        summary = summary_rows(pdf.render_html(build(options(language, "pdf"))))
    assert local(theme, language) in summary
    assert f"{point.number}. {local(point, language)}" in summary
    assert theme.title not in summary
    assert point.title not in summary


def test_the_word_and_excel_summaries_name_themes_in_the_reports_language(loaded_report, tmp_path):
    theme = Theme.objects.get(key="labour")
    arabic = local(theme, "ar")
    path = tmp_path / "report-ar.docx"
    with path.open("wb") as out:
        writing.write(options("ar", "docx"), out)
    cells = {c.text for t in docx.Document(str(path)).tables for row in t.rows for c in row.cells}
    assert arabic in cells
    assert theme.title not in cells
    path = tmp_path / "report-ar.xlsx"
    with path.open("wb") as out:
        writing.write(options("ar", "xlsx"), out)
    summary = openpyxl.load_workbook(path).worksheets[0]
    values = {cell.value for row in summary.iter_rows() for cell in row if cell.value}
    assert arabic in values
    assert theme.title not in values


def test_facts_list_the_addressees_with_the_languages_separator(loaded_report):
    rec = next(
        r for r in Recommendation.objects.main().order_by("position")
        if r.addressee_links.filter(inferred=False).count() > 1
        and not r.addressee_links.filter(inferred=True).exists()
    )  # fmt: skip
    names = [local(link.actor, "ar", "local_name") for link in rec.addressee_links.all()]
    made = options("ar", "pdf", recommendations=Recommendation.objects.filter(pk=rec.pk))
    with translation.override("ar"):
        html = pdf.render_html(build(made))
    unisolated = html.replace('<span dir="ltr">', "").replace("</span>", "")
    assert "، ".join(names) in unisolated


@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "progress-2014-10-03.pdf"), ("ar", "progress-2014-10-03-ar.pdf"),
     ("zh-hans", "progress-2014-10-03-zh-hans.pdf"), ("fr", "progress-2014-10-03-fr.pdf")],
)  # fmt: skip
def test_the_file_name_carries_the_language_unless_english(language, name):
    made = ExportOptions(
        recommendations=Recommendation.objects.none(), as_of=AS_OF, format="pdf",
        language=language, demo=False,
    )  # fmt: skip
    assert made.filename() == name


def test_a_long_file_name_keeps_its_language(loaded_report):
    made = options("ru", "xlsx", slug_parts=["x" * 200], demo=False)
    assert made.filename().endswith("-ru.xlsx")


def test_the_download_is_named_in_its_language(loaded_report):
    client = client_for(make_account("viewer", Role.VIEWER))
    query = {"theme": "labour", "as_of": "2014-10-03", "grouping": "theme", "download": "1"}
    names = {}
    for language in ("en", "ar"):
        response = client.get(reverse("export"), {**query, "format": "xlsx", "language": language})
        assert response.status_code == 200
        names[language] = response["Content-Disposition"]
        openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert 'filename="progress-2014-10-03-labour.xlsx"' in names["en"]
    assert 'filename="progress-2014-10-03-labour-ar.xlsx"' in names["ar"]
