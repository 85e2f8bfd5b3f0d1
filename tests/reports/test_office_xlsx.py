"""The Excel workbook as an office prints it: converted to PDF by LibreOffice Calc, read
back per page. Every page is landscape, a table sheet's every page shows its whole header
row (fitted to the page's width, repeated), and no Summary text is cut off by its cell."""

import datetime
import re
import time

import pytest

from hearings.models import AgendaPoint, Recommendation
from tracker.reports import writing
from tracker.reports.asof import AS_OF_RULE
from tracker.reports.options import ExportOptions

from . import office

pytestmark = [pytest.mark.django_db, *office.MARKS]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_workbook_prints_landscape_with_whole_headers_and_uncut_texts(
    loaded_report, tmp_path, office_profile
):
    options = ExportOptions(
        recommendations=Recommendation.objects.main(),
        as_of=datetime.date(2015, 1, 1),
        format="xlsx",
        history=True,
        generated_by="Ada Coordinator",
    )
    path = tmp_path / "workbook.xlsx"
    with path.open("wb") as out:
        writing.write(options, out)
    started = time.monotonic()
    (pdf,) = office.to_pdf(office_profile, path)
    print(f"LibreOffice converted the workbook in {time.monotonic() - started:.1f}s")
    pages = office.pages(pdf)

    for number in range(1, len(pages) + 1):
        width, height = office.page_size(pdf, number)
        assert width > height, f"page {number} is portrait"

    # The table sheets: each page holds the header row, first column to last.
    follow_up = [n for n, page in enumerate(pages) if "[new_note]" in page]
    history = [n for n, page in enumerate(pages) if "[corrects]" in page]
    assert len(follow_up) >= 2, "the Follow-up sheet should take several pages"
    assert history
    first_table_page = follow_up[0]
    for n in range(first_table_page, len(pages)):
        assert "[line_id]" in pages[n], f"page {n + 1} has no header row"
        last = "[corrects]" if n in history else "[new_evidence_links]"
        assert last in pages[n], f"page {n + 1}: the header's last column is on another page"
    assert follow_up == list(range(first_table_page, first_table_page + len(follow_up)))

    # The Summary: the method and every agenda point's title whole, none cut by its cell.
    summary = flat(" ".join(pages[:first_table_page]))
    assert flat(str(AS_OF_RULE)) in summary
    for point in AgendaPoint.objects.all():
        assert str(point) in summary, f"cut: {point}"
    assert "Ada Coordinator" in summary
