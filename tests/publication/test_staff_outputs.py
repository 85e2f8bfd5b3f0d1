"""What is public changes nothing in what staff export: the CSV, the Excel workbook (its
History sheet included) and the PDF and Word reports hold every line and every note,
published or not, kept out of public view or not; and an exported sheet imports back
with nothing to change, as before. (The import has no "publish" column: imported notes
are unpublished, for a coordinator to publish from the timeline.)"""

import datetime
import io

import docx
import openpyxl
import pytest

from hearings.models import Recommendation
from tracker.imports import checking, reading
from tracker.publication import services
from tracker.reports import writing
from tracker.reports.options import ExportOptions

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2014, 6, 1)
GENERATED = datetime.datetime(2014, 6, 2, 9, 0, tzinfo=datetime.UTC)
CODES = ["R42.1", "R24.1", "R30a"]


def options(kind, **more):
    return ExportOptions(
        recommendations=Recommendation.objects.main().filter(code__in=CODES),
        as_of=AS_OF,
        format=kind,
        history=True,
        generated_at=GENERATED,
        **more,
    )


def exported(kind) -> bytes:
    out = io.BytesIO()
    writing.write(options(kind), out)
    return out.getvalue()


def workbook_cells(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: [[c.value for c in row] for row in sheet.iter_rows()] for sheet in book}


def word_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def history(users, record):
    coordinator = users["coordinator"]
    updates = []
    for code in CODES:
        rec = Recommendation.objects.get(code=code)
        for line in rec.follow_up_lines.all()[:2]:
            updates.append(record(coordinator, on=line, note=f"Internal note on {line}."))
    return updates


def make_public(users, updates):
    coordinator = users["coordinator"]
    services.site_set(user=coordinator, is_on=True, target_dates_public=True)
    for update in updates[::2]:
        services.note_publish(update=update, user=coordinator)
    services.withhold(
        user=coordinator, recommendation=Recommendation.objects.get(code="R24.1"), reason="x"
    )
    services.withhold(user=coordinator, line=updates[0].line, reason="y")


def test_exports_are_the_same_whatever_is_public(users, history):
    csv_before = exported("csv")
    cells_before = workbook_cells(exported("xlsx"))
    word_before = word_text(exported("docx"))
    make_public(users, history)
    assert exported("csv") == csv_before
    assert workbook_cells(exported("xlsx")) == cells_before
    assert word_text(exported("docx")) == word_before
    # Every note is in them, published or not, kept out of public view or not.
    for update in history:
        assert update.note in str(cells_before["History"])
        assert update.note in word_before


def test_an_exported_sheet_imports_back_with_nothing_to_change(users, history):
    make_public(users, history)
    table = reading.table_read("follow-up.csv", exported("csv"))
    check = checking.status_updates_check(
        user=users["coordinator"], rows=table.rows, columns=table.columns
    )
    # Every line is in the sheet, kept out of public view or not, and none has a change.
    lines = sum(Recommendation.objects.get(code=code).follow_up_lines.count() for code in CODES)
    assert (table.rows, table.blank) == ([], lines)
    assert (check.errors, check.changes) == ([], [])
