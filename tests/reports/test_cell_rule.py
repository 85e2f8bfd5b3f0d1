"""The cell rule (formula escaping, stored text cleaned) in its two implementations, held
to the one table of cases (cell_cases.py): Python's columns.cell_value, and the SQL that
PostgreSQL's COPY applies; then whole CSV and Excel exports on either database."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from hearings.models import Recommendation
from hearings.text import printable
from tracker import services
from tracker.models import FollowUpLine, Status
from tracker.reports import columns, sheet_query, tables, writing
from tracker.reports.options import ExportOptions

from .cell_cases import CELL_CASES, storable

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the SQL rule serves PostgreSQL's COPY; other databases use the Python rule",
)


@pytest.mark.parametrize(("stored", "cell"), CELL_CASES)
def test_the_python_rule_gives_each_cell(stored, cell):
    assert columns.cell_value(stored) == cell
    # The import takes the apostrophe off again: a round trip gives the stored text, clean.
    assert columns.restore(cell) == printable(stored)


@postgres_only
@pytest.mark.django_db
def test_the_sql_rule_gives_the_same_cells():
    cases = [(stored, cell) for stored, cell in CELL_CASES if storable(stored, "postgresql")]
    assert len(cases) >= len(CELL_CASES) - 2  # all but NUL and lone surrogates
    with connection.cursor() as cursor:
        for stored, cell in cases:
            cursor.execute(sheet_query.cell_sql(), [stored])
            (written,) = cursor.fetchone()
            assert (written or "") == cell, repr(stored)  # NULL is COPY's empty field


@postgres_only
@pytest.mark.django_db
def test_the_sql_rule_removes_exactly_the_characters_python_removes():
    """Every character PostgreSQL can store, the whole of Unicode, in one text."""
    text = "".join(chr(c) for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF)
    text += "\r\n\r"
    with connection.cursor() as cursor:
        printable_sql = sheet_query.printable_sql("v")
        query = f"SELECT {printable_sql} FROM (SELECT CAST(%s AS text) AS v) t"  # noqa: S608
        cursor.execute(query, [text])
        (cleaned,) = cursor.fetchone()
    assert cleaned == printable(text)
    # Some sixty controls and two non-characters gone; \r became \n, \r\n one \n.
    assert len(text) - len(cleaned) == 64
    assert cleaned.endswith("\n\n")


@pytest.fixture
def stored_notes(loaded_report, monkeypatch):
    """Each storable case as a line's latest note, as if stored before the text rule (the
    service's check is switched off; forms and the import refuse such text)."""
    user = get_user_model().objects.create_superuser("cells", password="a-long-password")
    monkeypatch.setattr(services, "validate_safe_text", lambda text: None)
    lines = FollowUpLine.objects.filter(recommendation__in=Recommendation.objects.main())
    notes = {}
    cases = [c for c in CELL_CASES if c[0] and storable(c[0], connection.vendor)]
    for line, (stored, cell) in zip(lines.order_by("pk"), cases, strict=False):
        services.status_update_record(
            line_id=line.pk, user=user, status=Status.PLANNED, note=stored,
            effective_date=datetime.date(2014, 1, 1), evidence_links=[], seen_version=0,
        )  # fmt: skip
        notes[line.pk] = cell
    assert len(notes) == len(cases)
    return notes


def _options(fmt):
    return ExportOptions(
        recommendations=Recommendation.objects.main(), as_of=datetime.date(2015, 1, 1), format=fmt
    )


def test_a_csv_export_writes_each_stored_note_as_its_cell(stored_notes):
    text = b"".join(tables.csv_chunks(_options("csv"))).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    note = columns.COLUMN_KEYS.index("note")
    written = {int(row[0]): row[note] for row in rows[1:]}
    assert {pk: written[pk] for pk in stored_notes} == stored_notes


def test_an_excel_export_writes_each_stored_note_as_its_cell(stored_notes):
    out = io.BytesIO()
    writing.write(_options("xlsx"), out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Follow-up"]
    note = columns.COLUMN_KEYS.index("note")
    written = {row[0].value: row[note] for row in sheet.iter_rows(min_row=2)}
    for pk, cell in stored_notes.items():
        assert written[pk].data_type in ("s", "n"), pk  # text (or empty), never a formula
        assert (written[pk].value or "") == cell, pk
