"""The Word report as an office prints it: converted to PDF by LibreOffice, read back per page.

The summary tables must be readable at a meeting: status headers never broken inside a
word, row labels whole, and no table spread over more than two pages; and a
recommendation's heading, quote and facts are never parted by a page break."""

import datetime
import re
import time

import pytest
from django.utils import timezone

from hearings.models import Recommendation
from tracker.models import Status
from tracker.reports import document, writing
from tracker.reports.options import ExportOptions

from . import office

pytestmark = [pytest.mark.django_db, *office.MARKS]


def whole_words(text: str) -> set[str]:
    return {word.strip(".,;:()") for word in text.split()}


def broken_status_words(text: str) -> set[str]:
    """Pieces of a status header's word split across lines: a proper prefix of the word
    (3 letters or more) standing alone, e.g. "Planne" of "Planned"."""
    words = {word for status in Status for word in str(status.label).split()}
    words.add("Total")
    pieces = {w[:n] for w in words for n in range(3, len(w))} - words
    return whole_words(text) & pieces


def flat(page: str) -> str:
    return re.sub(r"\s+", " ", page)


def write_docx(tmp_path, grouping: str):
    options = ExportOptions(
        recommendations=Recommendation.objects.main(),
        as_of=timezone.localdate(),
        format="docx",
        grouping=grouping,
        generated_at=datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC),
    )
    path = tmp_path / f"report-by-{grouping}.docx"
    with path.open("wb") as out:
        writing.write(options, out)
    return path, document.build(options)


def test_word_summary_tables_keep_words_whole_and_fit_two_pages(
    loaded_report, tmp_path, office_profile
):
    path, report = write_docx(tmp_path, "actor")
    started = time.monotonic()
    (pdf,) = office.to_pdf(office_profile, path)
    print(f"LibreOffice converted the Word report in {time.monotonic() - started:.1f}s")
    pages = office.pages(pdf)
    first = report.groups[0].title
    first_group = next(n for n, page in enumerate(pages) if office.content_lines(page)[0] == first)
    summary = pages[1:first_group]
    assert summary, "no summary pages before the first group"

    broken = broken_status_words("\n".join(summary))
    assert not broken, f"status words broken across lines in the summary: {sorted(broken)}"

    # Each table, by its heading and its last row: on at most two pages.
    tables = [
        ("Summary", "Total"),
        ("Recommendations by theme and status", "All recommendations"),
        ("Recommendations by action agenda point and status", "Recommendations, each counted once"),
        ("Follow-up lines by actor and status", "All follow-up lines"),
    ]
    for heading, last_row in tables:
        start = next(n for n, page in enumerate(summary) if heading in flat(page))
        end = next((n for n in range(start, len(summary)) if last_row in flat(summary[n])), None)
        assert end is not None, f"{heading!r}: its last row {last_row!r} is not found whole"
        assert end - start <= 1, f"{heading!r} spreads over {end - start + 1} pages"
    # Every row label whole: the long agenda point titles, in a wide label column.
    text = flat("\n".join(summary))
    for point, _counts in report.by_agenda_point:
        assert str(point) in text, f"row label broken: {point}"

    # A recommendation's heading, quote, facts and first line stay on one page: no page
    # starts with a quote, a fact or a lines table (grouped by actor, one line each).
    for number, page in enumerate(pages[first_group:], first_group + 1):
        top = office.content_lines(page)[0]
        assert not top.startswith(("“", "Overall status", "Addressed to", "Theme:", "Actor")), (
            f"page {number} starts with {top!r}"
        )

    # The summary is printed landscape, the recommendations portrait.
    width, height = office.page_size(pdf, 2)
    assert width > height
    width, height = office.page_size(pdf, first_group + 1)
    assert width < height
