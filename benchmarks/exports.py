"""Each export against its floor, in the same run, on a given database; peak memory too.

The exports measured, each as a user gets it (the CSV as the page streams it, the
workbook written to a file):

- CSV of every line as of today, against the floor: PostgreSQL's `COPY ... TO STDOUT` of
  the same rows and columns as they are stored (the line's current update, the stored
  roll-up), in the export's order, with nothing cleaned or formatted;
- the same CSV as of a past date, against the same computation in bare SQL (the update
  in force on the date picked with a LATERAL subquery, the roll-up as a window);
- the Excel workbook (Summary and Follow-up sheets) as of today, against the first floor.

A floor is the faster of PostgreSQL's JIT on and off (the app's connections have it off).

Each is timed `runs` times (median), then once more under tracemalloc with the process's
resident memory sampled every 5 ms: peak Python allocations and peak growth of the
resident set over the export. Floors are PostgreSQL only (SQLite has no COPY): on SQLite
the table has times and memory, no floor.

From another script, with Django set up on the database to measure:

    from benchmarks.exports import measure_exports, markdown
    results = measure_exports(past=datetime.date(2016, 1, 1), runs=3)
    print(markdown(results))

On its own (builds the data with benchmarks/scale.py's machinery if the database has
none, keeps the database for the next run unless --drop):

    .venv/bin/python benchmarks/exports.py --database-url postgres://.../hearings_x --build 25000
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAST = datetime.date(2016, 1, 1)
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
# Targets (issue 10): the export at most this many times its floor.
TARGETS = {"csv": 2, "asof_csv": 3, "xlsx": 8}

# The floor of the CSV (and Excel) as of today: the same rows in the same order, each
# column as stored.
FLOOR_TODAY = """
SELECT l.id, r.code, r.title, p.number, t.title,
       (SELECT string_agg(ap.key, ', ' ORDER BY ap.key)
          FROM hearings_recommendation_agenda_points ra
          JOIN hearings_agendapoint ap ON ap.id = ra.agendapoint_id
         WHERE ra.recommendation_id = r.id),
       a.key, a.name, rp.status, l.status, l.status_since, cu.note, cu.evidence_links,
       l.target_date,
       l.target_date < %(as_of)s
         AND l.status NOT IN ('implemented', 'will-not-be-implemented', 'no-longer-relevant'),
       (SELECT max(u.id) FROM tracker_statusupdate u WHERE u.line_id = l.id)
  FROM tracker_followupline l
  JOIN hearings_recommendation r ON r.id = l.recommendation_id
  JOIN hearings_paragraph p ON p.id = r.paragraph_id
  JOIN hearings_theme t ON t.id = r.theme_id
  JOIN hearings_actor a ON a.id = l.actor_id
  LEFT JOIN tracker_statusupdate cu ON cu.id = l.current_update_id
  LEFT JOIN tracker_recommendationprogress rp ON rp.recommendation_id = r.id
 WHERE r.restates_id IS NULL AND r.withdrawn_at IS NULL
   AND (l.addressed OR l.added_by_id IS NOT NULL)
 ORDER BY r.position, r.code, a.name, l.id
"""

# The floor of the CSV as of a past date: the same computation in bare SQL.
FLOOR_AS_OF = """
SELECT id, code, title, number, theme, agenda_keys, actor_key, actor_name,
       CASE WHEN count(*) FILTER (WHERE status <> 'no-longer-relevant') OVER w = 0
              THEN 'no-longer-relevant'
            WHEN count(*) FILTER (WHERE status = 'implemented') OVER w
               = count(*) FILTER (WHERE status <> 'no-longer-relevant') OVER w
              THEN 'implemented'
            WHEN count(*) FILTER (WHERE status = 'will-not-be-implemented') OVER w
               = count(*) FILTER (WHERE status <> 'no-longer-relevant') OVER w
              THEN 'will-not-be-implemented'
            ELSE (ARRAY['no-information', 'not-started', 'planned', 'in-progress',
                        'partially-implemented'])[1 + least(4, coalesce(max(
                   array_position(ARRAY['no-information', 'not-started', 'planned',
                                        'in-progress', 'partially-implemented',
                                        'implemented'], status) - 1) OVER w, 0))]
       END,
       status, since, note, links, target_date,
       target_date < %(as_of)s
         AND status NOT IN ('implemented', 'will-not-be-implemented', 'no-longer-relevant'),
       last_update_id
  FROM (
    SELECT l.id, r.id AS rec, r.position, r.code, r.title, p.number, t.title AS theme,
           (SELECT string_agg(ap.key, ', ' ORDER BY ap.key)
              FROM hearings_recommendation_agenda_points ra
              JOIN hearings_agendapoint ap ON ap.id = ra.agendapoint_id
             WHERE ra.recommendation_id = r.id) AS agenda_keys,
           a.key AS actor_key, a.name AS actor_name,
           coalesce(s.status, 'no-information') AS status, s.effective_date AS since,
           s.note, s.evidence_links AS links, l.target_date,
           (SELECT max(u.id) FROM tracker_statusupdate u WHERE u.line_id = l.id)
             AS last_update_id
      FROM tracker_followupline l
      JOIN hearings_recommendation r ON r.id = l.recommendation_id
      JOIN hearings_paragraph p ON p.id = r.paragraph_id
      JOIN hearings_theme t ON t.id = r.theme_id
      JOIN hearings_actor a ON a.id = l.actor_id
      LEFT JOIN LATERAL (
        SELECT u.status, u.effective_date, u.note, u.evidence_links
          FROM tracker_statusupdate u
         WHERE u.line_id = l.id AND u.effective_date <= %(as_of)s
         ORDER BY u.effective_date DESC, u.recorded_at DESC, u.id DESC
         LIMIT 1) s ON true
     WHERE r.restates_id IS NULL AND r.withdrawn_at IS NULL
       AND (l.addressed OR l.added_by_id IS NOT NULL OR l.dropped_on IS NOT NULL)
       AND (l.followed_since <= %(as_of)s OR s.status IS NOT NULL)
       AND (l.dropped_on IS NULL OR l.dropped_on > %(as_of)s OR l.added_by_id IS NOT NULL)
  ) lines
WINDOW w AS (PARTITION BY rec)
 ORDER BY position, code, actor_name, id
"""


class _Count:
    """A file that only counts what is written to it."""

    def __init__(self):
        self.size = 0

    def write(self, data):
        self.size += len(data)


def _copy_floor(query: str, as_of: datetime.date, jit: str) -> int:
    """COPY the floor's rows to a counting sink, with PostgreSQL's JIT on or off; the
    bytes of CSV."""
    from django.db import connection

    sink = _Count()
    with connection.cursor() as cursor:
        statement = cursor.mogrify(query, {"as_of": as_of}).decode()
        cursor.execute(f"SET jit = {jit}")
        try:
            cursor.cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)", sink)
        finally:
            cursor.execute("RESET jit")
    return sink.size


def _options(as_of: datetime.date, fmt: str):
    from django.http import QueryDict

    from tracker.reports import options

    filterset = options.recommendation_filter(QueryDict())
    if not filterset.is_valid():
        raise RuntimeError(filterset.errors)
    return options.ExportOptions.from_filter(filterset, as_of=as_of, format=fmt)


def _csv(as_of: datetime.date) -> int:
    """The CSV as the export page streams it; its size in bytes."""
    from tracker.reports import tables

    size = 0
    for chunk in tables.csv_chunks(_options(as_of, "csv")):
        size += len(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
    return size


def _xlsx(as_of: datetime.date) -> int:
    """The workbook written to a temporary file, as the page does; its size in bytes."""
    from tracker.reports import writing

    with tempfile.TemporaryFile() as out:
        writing.write(_options(as_of, "xlsx"), out)
        return out.tell()


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE


def _peak_memory(work) -> tuple[float, float]:
    """Peak Python allocations (tracemalloc) and peak resident-set growth, in MB."""
    base, peak, done = _rss(), [0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _rss())
            done.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    tracemalloc.start()
    try:
        work()
        _current, traced = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        done.set()
        sampler.join()
    return traced / 1e6, max(peak[0] - base, 0) / 1e6


def measure_exports(
    *, today: datetime.date | None = None, past: datetime.date = PAST, runs: int = 3,
    memory: bool = True, log=None,
) -> list[dict]:  # fmt: skip
    """Time each export and its floor on Django's default database; one dict per export:
    name, key (csv, asof_csv, xlsx), as_of, seconds (median of `runs`), floor_seconds and
    ratio (None on SQLite), target (the ratio aimed at), bytes, and with `memory` the
    peak_traced_mb and peak_rss_mb of one more run."""
    from django.db import connection
    from django.utils import timezone

    today = today or timezone.localdate()
    postgres = connection.vendor == "postgresql"
    exports = [
        ("CSV, every line, as of today", "csv", today, _csv, FLOOR_TODAY),
        (f"CSV as of {past.isoformat()}", "asof_csv", past, _csv, FLOOR_AS_OF),
        ("Excel, every line, as of today", "xlsx", today, _xlsx, FLOOR_TODAY),
    ]
    results = []
    for name, key, as_of, export, floor_sql in exports:
        result = {"name": name, "key": key, "as_of": as_of.isoformat(),
                  "target": TARGETS[key], "floor_seconds": None, "ratio": None}  # fmt: skip
        # Runs alternate (floor with JIT on, floor with JIT off, export), so that a busy
        # moment of a shared machine weighs on each alike; medians of each.
        times: dict[str, list[float]] = {"on": [], "off": [], "export": []}
        for _ in range(runs):
            if postgres:
                for jit in ("on", "off"):
                    started = time.perf_counter()
                    result["floor_bytes"] = _copy_floor(floor_sql, as_of, jit)
                    times[jit].append(time.perf_counter() - started)
            started = time.perf_counter()
            result["bytes"] = export(as_of)
            times["export"].append(time.perf_counter() - started)
        result["seconds"] = statistics.median(times["export"])
        if postgres:
            # The floor is the faster of the two (the app's connections run without JIT).
            result["floor_seconds"] = min(statistics.median(times[j]) for j in ("on", "off"))
            result["ratio"] = result["seconds"] / result["floor_seconds"]
        if memory:
            result["peak_traced_mb"], result["peak_rss_mb"] = _peak_memory(
                lambda e=export, d=as_of: e(d)
            )
        if log:
            log(f"  {name}: {result['seconds']:.2f} s, floor {result['floor_seconds']}")
        results.append(result)
    return results


def markdown(results: list[dict]) -> str:
    out = [
        "| export | time | floor (COPY) | ratio (target) | output | peak traced "
        "| peak RSS growth |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        floor = f"{r['floor_seconds']:.2f} s" if r["floor_seconds"] is not None else "n/a"
        ratio = f"{r['ratio']:.2f}x (≤ {r['target']}x)" if r["ratio"] is not None else "n/a"
        traced = f"{r['peak_traced_mb']:.1f} MB" if "peak_traced_mb" in r else ""
        rss = f"{r['peak_rss_mb']:.1f} MB" if "peak_rss_mb" in r else ""
        out.append(
            f"| {r['name']} | {r['seconds']:.2f} s | {floor} | {ratio} "
            f"| {r['bytes'] / 1e6:.1f} MB | {traced} | {rss} |"
        )
    return "\n".join(out)


def _counts() -> str:
    from hearings.models import Recommendation
    from tracker.models import FollowUpLine, StatusUpdate

    return (
        f"{Recommendation.objects.count():,} recommendations, "
        f"{FollowUpLine.objects.count():,} follow-up lines, "
        f"{StatusUpdate.objects.count():,} status updates"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the database to measure")
    parser.add_argument("--build", type=int, metavar="N", help="build N recommendations if none")
    parser.add_argument("--past", type=datetime.date.fromisoformat, default=PAST)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true", help="times only")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args()

    from benchmarks import scale

    postgres = args.database_url.startswith("postgres")
    if postgres:
        scale.postgres_create(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "hearings.settings"
    os.environ.setdefault("DEBUG", "true")
    os.environ["LOG_LEVEL"] = "WARNING"
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        settings.DEBUG = False  # no SQL kept per query while measuring
        call_command("migrate", verbosity=0)
        from hearings.loading import load_report
        from hearings.models import Recommendation

        if not Recommendation.objects.filter(code__startswith="B").exists():
            load_report()
            if args.build:
                scale.log(f"building {args.build:,} recommendations")
                scale.build(args.build, 5000, 2013, "phl", analyze=True)
        scale.log(_counts())
        results = measure_exports(
            past=args.past, runs=args.runs, memory=not args.no_memory, log=scale.log
        )
        engine = (
            f"PostgreSQL {connection.pg_version // 10000}"
            if postgres
            else f"SQLite {connection.Database.sqlite_version}"
        )
        print(f"- **database**: {engine}; {_counts()}")
        print(f"- **timing**: median of {args.runs} runs; memory from one more run\n")
        print(markdown(results))
    finally:
        if args.drop and postgres:
            from django.db import connections

            connections.close_all()
            scale.postgres_drop(args.database_url)


if __name__ == "__main__":
    main()
