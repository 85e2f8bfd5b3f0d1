"""The Word report's layout as written, read back with python-docx (how LibreOffice prints
it: tests/reports/test_office_word.py): the summary on landscape pages, its tables with a
wide label column and fixed number columns, and totals that add up."""

import datetime
import io

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Cm

from hearings.models import Recommendation
from tracker.models import Status
from tracker.reports import writing
from tracker.reports.options import ExportOptions

pytestmark = pytest.mark.django_db

MATRICES = ("Theme", "Agenda point", "Actor")


@pytest.fixture
def document(loaded_report):
    options = ExportOptions(
        recommendations=Recommendation.objects.main(),
        as_of=datetime.date(2015, 1, 1),
        format="docx",
        grouping="actor",
    )
    out = io.BytesIO()
    writing.write(options, out)
    return docx.Document(io.BytesIO(out.getvalue()))


def matrices(document):
    """The summary's status tables, by the heading of their label column."""
    return {
        table.rows[0].cells[0].text: table
        for table in document.tables
        if len(table.columns) == 2 + len(Status) and table.rows[0].cells[0].text in MATRICES
    }


def test_word_summary_is_landscape_with_fixed_columns_and_totals_that_add_up(document):
    orientations = [s.orientation for s in document.sections]
    assert orientations[1] == WD_ORIENT.LANDSCAPE  # the summary
    assert orientations[0] == WD_ORIENT.PORTRAIT  # the cover
    assert set(orientations[2:]) == {WD_ORIENT.PORTRAIT}  # groups, annex
    summary = document.sections[1]
    assert summary.page_width > summary.page_height

    # A wide label column, and number columns of fixed widths that fit the page.
    tables = matrices(document)
    assert set(tables) == set(MATRICES)
    usable = Cm(29.7 - 4)
    for label, table in tables.items():
        layout = table._tbl.tblPr.find(docx.oxml.ns.qn("w:tblLayout"))
        assert layout is not None, label
        assert layout.get(docx.oxml.ns.qn("w:type")) == "fixed", label
        widths = [column.width for column in table.columns]
        assert len(widths) == 2 + len(Status)
        assert sum(widths) <= usable, label
        assert widths[0] >= Cm(6), label
        assert widths[0] >= 2.5 * max(widths[1:]), label
        assert min(widths[1:]) >= Cm(1.49), label  # 1.5 cm, in whole twips
        headers = [cell.text for cell in table.rows[0].cells]
        assert headers[1:] == [*(str(s.label) for s in Status), "Total"]

    # The totals add up.
    tables = {
        label: [[cell.text for cell in row.cells] for row in table.rows[1:]]
        for label, table in tables.items()
    }
    recs = Recommendation.objects.main().count()
    *themes, all_recs = tables["Theme"]
    assert all_recs[0] == "All recommendations"
    assert column_sums(themes) == [int(n) for n in all_recs[1:]]
    assert int(all_recs[-1]) == recs
    *points, all_rows, once = tables["Agenda point"]
    assert points[-1][0] == "No agenda point"
    assert all_rows[0].startswith("All rows")
    assert column_sums(points) == [int(n) for n in all_rows[1:]]
    assert once[0] == "Recommendations, each counted once"
    assert once[1:] == all_recs[1:]
    *actors, all_lines = tables["Actor"]
    assert all_lines[0] == "All follow-up lines"
    assert column_sums(actors) == [int(n) for n in all_lines[1:]]


def column_sums(rows):
    return [sum(int(row[i]) for row in rows) for i in range(1, len(rows[0]))]
