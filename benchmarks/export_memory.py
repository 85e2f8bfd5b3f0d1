"""Peak memory of a CSV export for N and 10N follow-up lines (tracemalloc).

Builds a throwaway SQLite database with N lines (one recommendation per line, each with
one status update), streams the CSV export and prints peak memory and time. Run:

    .venv/bin/python benchmarks/export_memory.py [N]

Memory should stay flat from N to 10N: the export streams one query (on SQLite through
Python, from a cursor read in chunks; benchmarks/exports.py measures PostgreSQL's COPY).
"""

import datetime
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.mkdtemp()) / "benchmark.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearings.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def build(n: int) -> None:
    """Lines up to n: copies of the catalogue's recommendations, each with one line."""
    from django.contrib.auth import get_user_model
    from django.db.models import OuterRef, Subquery

    from hearings.models import Actor, Recommendation
    from tracker.models import FollowUpLine, StatusUpdate

    user = get_user_model().objects.get_or_create(username="benchmark")[0]
    template = Recommendation.objects.main().first()
    actor = Actor.objects.get(key="governments")
    have = FollowUpLine.objects.count()
    start = Recommendation.objects.count()
    recs = [
        Recommendation(code=f"R900.{start + i}", paragraph_id=template.paragraph_id,
                       title=f"Benchmark {i}", text=template.text, theme_id=template.theme_id,
                       position=900_000 + start + i)
        for i in range(n - have)
    ]  # fmt: skip
    Recommendation.objects.bulk_create(recs, batch_size=2000)
    recs = Recommendation.objects.filter(code__startswith="R900.").exclude(
        follow_up_lines__isnull=False
    )
    lines = FollowUpLine.objects.bulk_create(
        (FollowUpLine(recommendation=r, actor=actor, created_at=datetime.datetime(2013, 8, 1,
                      tzinfo=datetime.UTC)) for r in recs.iterator()),
        batch_size=2000,
    )  # fmt: skip
    StatusUpdate.objects.bulk_create(
        (StatusUpdate(line=line, status="in-progress", note=f"Benchmark note {line.pk} " * 5,
                      effective_date=datetime.date(2014, 1, 1), recorded_by=user)
         for line in lines),
        batch_size=2000,
    )  # fmt: skip
    # Each line's current state, as tracker.services keeps it (the exports read it).
    FollowUpLine.objects.filter(update_count=0, updates__isnull=False).update(
        status="in-progress",
        status_since=datetime.date(2014, 1, 1),
        update_count=1,
        current_update=Subquery(StatusUpdate.objects.filter(line=OuterRef("pk")).values("id")[:1]),
    )


def measure(n: int) -> None:
    from hearings.models import Recommendation
    from tracker.reports import options as export_options
    from tracker.reports import tables

    build(n)
    options = export_options.ExportOptions(
        recommendations=Recommendation.objects.main(), as_of=datetime.date(2015, 1, 1)
    )
    tracemalloc.start()
    started = time.perf_counter()
    size = rows = 0
    for chunk in tables.csv_chunks(options):
        size += len(chunk)
        rows += chunk.count(b"\r\n")
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{rows - 1:>8} lines  {size / 1e6:7.1f} MB of CSV  peak {peak / 1e6:6.2f} MB  "
          f"{elapsed:6.1f} s")  # fmt: skip


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    call_command("migrate", verbosity=0)
    call_command("load_report", verbosity=0)
    measure(n)
    measure(10 * n)
    DB.unlink()
