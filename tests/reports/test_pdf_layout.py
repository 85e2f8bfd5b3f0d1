"""The PDF report's page breaks, read back one page at a time with pdftotext: a
recommendation's heading, quote and facts stay together on a page with the first row of
its lines, and no page ends with a heading or a label alone."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model

from hearings.models import Recommendation
from tracker import services
from tracker.models import FollowUpLine, Status
from tracker.reports import writing
from tracker.reports.options import ExportOptions

from . import office

pytestmark = pytest.mark.django_db

LABELS = {"Overall status", "Addressed to", "Theme", "Agenda points", "Restated in",
          "Recommendations", "Covered", "Grouped by", "History"}  # fmt: skip
NOTE = (
    "The ministry reported on the steps taken since the last review, with the budget "
    "line agreed and a first group of officials trained; the next report is due in "
    "spring, after consultations with migrant associations and trade unions."
)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def report_pdf(loaded_report, tmp_path):
    """The whole report grouped by theme, with the history of 30 lines (long notes make
    tall rows, so page breaks fall everywhere)."""
    user = get_user_model().objects.create_superuser("pdf-layout", password="a-long-password")
    lines = FollowUpLine.objects.filter(recommendation__in=Recommendation.objects.main())
    for i, line in enumerate(lines.order_by("recommendation__position", "pk")[:90:3]):
        for k, status in enumerate([Status.PLANNED, Status.IN_PROGRESS][: 1 + i % 2]):
            services.status_update_record(
                line_id=line.pk, user=user, status=status, note=NOTE[: 60 + 40 * (i % 5)],
                effective_date=datetime.date(2014, 1 + k, 1 + i % 27), evidence_links=[],
                seen_version=k,
            )  # fmt: skip
    options = ExportOptions(
        recommendations=Recommendation.objects.main(),
        as_of=datetime.date(2015, 1, 1),
        format="pdf",
        history=True,
    )
    path = tmp_path / "report.pdf"
    with path.open("wb") as out:
        writing.write(options, out)
    return path


def test_pdf_page_breaks_keep_recommendations_and_labels_together(report_pdf):
    pages = office.pages(report_pdf)
    assert len(pages) > 30
    # No page ends with a heading or a label alone.
    for number, page in enumerate(pages[:-1], 1):
        last = office.content_lines(page)[-1]
        assert last not in LABELS, f"page {number} ends with the label {last!r}"
        assert not re.match(r"Theme \d: ", last), f"page {number} ends with {last!r}"
        assert not re.fullmatch(r"\d+ recommendations?", last), f"page {number}: {last!r}"
        assert not last.startswith(("Recommendations by", "Follow-up lines by")), last

    # Each recommendation's heading, quote, facts and first line (or the words that it has
    # none) are on one page.
    pages = [flat(page) for page in pages]
    recs = Recommendation.objects.main().select_related("paragraph__chapter")
    split = []
    for rec in recs:
        heading = f"{rec.code} {' '.join(rec.title.split()[:3])}"
        found = [(n, page.index(heading)) for n, page in enumerate(pages) if heading in page]
        assert len(found) == 1, f"{heading!r} is on pages {[n + 1 for n, _i in found]}"
        n, start = found[0]
        rest = pages[n][start:]
        cite = f"paragraph {rec.paragraph.number}, chapter {rec.paragraph.chapter.numeral}"
        parts = [cite, "Overall status", "Addressed to", "Theme"]
        if not all(part in rest for part in parts) or not (
            "Latest note" in rest or "No follow-up line on this date." in rest
        ):
            split.append(f"{rec.code} (page {n + 1})")
    assert not split, f"heading, quote, facts and first line not on one page: {split}"
