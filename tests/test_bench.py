"""`make bench` at 200 recommendations, one run per page, so the script cannot rot: it runs
as `make bench` does (benchmarks/bench.py, in a fresh interpreter) on a throwaway database
of the engine under test, and its table must have every row with a figure in each cell.
No timing is asserted: speed is the script's to measure, not the test's. And the export
floors are the same work as the exports they measure."""

import datetime
import re
import subprocess
import sys

import pytest
from django.db import connection

from benchmarks import data, database, export_floors
from benchmarks.export_floors import AS_OF
from hearings.models import Recommendation
from tests.fresh_django import ROOT, environment
from tracker import services
from tracker.models import FollowUpLine
from tracker.reports.options import ExportOptions
from tracker.reports.rows import follow_up_rows

PAGES = [
    "dashboard (coordinator)", "dashboard (focal point)", "list: default",
    "list: theme + status + actor", "list: search", "list: sorted by title",
    "list: sorted by title, in French", "list: deep page", "list: next after the deep page",
    "list: mine (focal point)",
    "recommendation page", "update form (GET)", "record an update (POST)",
    "admin: follow-up lines, search", "admin: follow-up lines", "admin: recommendations",
    "admin: recommendations, search",
]  # fmt: skip
EXPORTS = ["CSV, every line", "CSV as of 2015-01-01", "Excel, every line"]
DOCUMENTS = ["PDF report", "Word report"]
NUMBER = re.compile(r"^\d[\d,]*(\.\d+)?$")


def _rows(markdown: str, first_header: str) -> dict[str, list[str]]:
    """The rows of the table whose first header is `first_header`: {first cell: cells}."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


def _run_bench(tmp_path) -> str:
    output = tmp_path / "benchmarks.md"
    args = ["-m", "benchmarks.bench", "--sizes", "200", "--runs", "1", "--warmup", "0",
            "--export-runs", "1", "--documents", "3", "--output", str(output)]  # fmt: skip
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"] + "_bench"
        args += ["--engines", "postgresql", "--url", database.postgres_url(name)]
    else:
        args += ["--engines", "sqlite"]
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], cwd=ROOT, env=environment(removed=["DJANGO_SETTINGS_MODULE"]),
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert output.with_suffix(".json").exists()
    return output.read_text(encoding="utf-8")


def test_the_benchmark_writes_every_row_with_a_figure_in_each_cell(db, tmp_path):
    markdown = _run_bench(tmp_path)
    assert "CPUs" in markdown

    pages = _rows(markdown, "page")
    assert [re.sub(r" \(\d+\)$", "", name) for name in pages] == PAGES
    for name, cells in pages.items():
        median, p95, sql, queries = cells[:4]
        assert all(NUMBER.match(value) for value in (median, p95, sql, queries)), (name, cells)
        marks = cells[4:]
        if name.startswith("admin:"):
            assert marks[0] == "(the yardstick)"
        else:  # each target marked met or missed; one size, so no query count to compare
            assert marks[0].startswith(("met", "**missed**")), (name, marks)
            assert marks[1].startswith(("met", "**missed**")), (name, marks)
            assert marks[2] == "n/a (one size)"
            assert marks[3].startswith(("met", "**missed**")), (name, marks)

    exports = _rows(markdown, "export")
    assert list(exports) == EXPORTS
    for name, (seconds, floor, ratio, target, peak, memory, size) in exports.items():
        assert all(NUMBER.match(value) for value in (seconds, peak, size)), name
        assert memory.startswith(("met", "**missed**")), name
        if connection.vendor == "postgresql":
            assert all(NUMBER.match(value) for value in (floor, ratio)), name
            assert "met" in target or "missed" in target, name
        else:
            assert floor == "n/a (no COPY)", name

    documents = _rows(markdown, "report")
    assert list(documents) == DOCUMENTS
    for name, cells in documents.items():
        assert all(NUMBER.match(value) for value in cells[:5]), (name, cells)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the COPY floors are PostgreSQL's (no COPY in SQLite)"
)
@pytest.mark.parametrize("as_of", [None, AS_OF], ids=["every line", "as of a date"])
def test_a_floor_selects_the_very_rows_its_export_writes(loaded_report, as_of):
    """A floor is only a floor if it is the same work: the same rows, columns and order
    as the follow-up sheet (the as-of rule and the roll-up done in SQL)."""
    builder = data.build(150)
    # A line the catalogue stopped addressing in 2016, and one a coordinator added, followed
    # since mid-2016: each counts on some dates and not on others.
    dropped, added = FollowUpLine.objects.filter(recommendation__code__startswith="B")[:2]
    FollowUpLine.objects.filter(pk=dropped.pk).update(
        addressed=False, dropped_on=datetime.date(2016, 1, 1)
    )
    FollowUpLine.objects.filter(pk=added.pk).update(
        added_by=builder.coordinator, followed_since=datetime.date(2016, 6, 1)
    )
    services.progress_refresh([dropped.recommendation_id, added.recommendation_id])
    day = as_of or builder.today
    options = ExportOptions(recommendations=Recommendation.objects.main(), as_of=day)
    expected = [[_plain(value) for value in row] for row in follow_up_rows(options)]
    with connection.cursor() as cursor:
        cursor.execute(export_floors._select(as_of))
        found = [[_plain(value) for value in row] for row in cursor.fetchall()]
    assert len(expected) > 200
    assert found == expected


def _plain(value) -> str:
    return "" if value is None else str(value)
