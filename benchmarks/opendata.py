"""The open data's downloads at a size, as a visitor gets them (django.test.Client, the
production settings of run_size.py): each resource as CSV and JSON, now and as of a past
date, timed to the last byte, with its size, rows, queries and peak memory (tracemalloc's
peak and the resident set's growth, sampled every 5 ms); the feed of every update too.

The database is prepared first: the public site switched on, every status update's note
published (one INSERT ... SELECT, as many publications as updates) and a few lines kept
out of public view, so that the files are as large as they can be.

    .venv/bin/python -m benchmarks.run_size --engine postgresql --size 25000 --build-only \\
        --url postgres://postgres@127.0.0.1:5432/hearings_opendata_bench --json build.json
    .venv/bin/python -m benchmarks.opendata \
        --url postgres://postgres@127.0.0.1:5432/hearings_opendata_bench
    .venv/bin/python -m benchmarks.opendata --url sqlite:////tmp/demo.sqlite3   # `make demo`'s
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

from .exports import _peak_memory
from .run_size import production_environment

PAST = datetime.date(2016, 1, 1)
WITHHELD_LINES = 10


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare() -> None:
    """Site on, every note published, a few lines withheld (each step once)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from hearings.loading import load_report
    from hearings.models import Report
    from tracker.models import FollowUpLine, StatusUpdate
    from tracker.publication import services, versions
    from tracker.publication.models import NotePublication, Withholding

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not Report.objects.exists():
        load_report()
    services.site_set(user=None, is_on=True)
    publications = NotePublication._meta.db_table
    updates = StatusUpdate._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            # Not NOT EXISTS: planned on the empty table, it rescans what it inserts.
            f"INSERT INTO {publications} (update_id, published_at, published_by_id) "  # noqa: S608
            f"SELECT id, recorded_at, NULL FROM {updates} ON CONFLICT (update_id) DO NOTHING"
        )
        versions.bump()
    if not Withholding.objects.exists():
        for line in FollowUpLine.objects.filter(update_count__gt=0).order_by("pk")[:WITHHELD_LINES]:
            services.withhold(user=None, line=line, reason="Benchmark: kept out")


def _download(client, url: str) -> tuple[int, int]:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    size = rows = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        size += len(chunk)
        rows += chunk.count(b"\n")
    return size, rows


def measure(runs: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tracker.public.opendata.resources import RESOURCES

    client = Client()
    urls = []
    for name, resource in RESOURCES.items():
        for fmt in ("csv", "json"):
            urls.append(f"/data/{name}.{fmt}")
            if resource.dated:
                urls.append(f"/data/{name}.{fmt}?as_of={PAST.isoformat()}")
    urls.append("/feeds/updates/")
    results = []
    for url in urls:
        _download(client, url)  # warm-up
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            size, lines = _download(client, url)
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as captured:
            _download(client, url)
        queries = len(captured)  # now: the next request empties the log it reads from
        traced, rss = _peak_memory(lambda u=url: _download(client, u))
        result = {"url": url, "seconds": statistics.median(times), "bytes": size,
                  "lines": lines, "queries": queries, "peak_traced_mb": traced,
                  "peak_rss_mb": rss}  # fmt: skip
        log(f"  {url}: {result['seconds']:.2f} s, {size / 1e6:.1f} MB, {traced:.1f} MB traced")
        results.append(result)
    return results


def markdown(results: list[dict]) -> str:
    out = ["| download | time | size | text lines | queries | peak traced / RSS growth |",
           "|---|--:|--:|--:|--:|--:|"]  # fmt: skip
    for r in results:
        out.append(
            f"| `{r['url']}` | {r['seconds']:.2f} s | {r['bytes'] / 1e6:.2f} MB | {r['lines']:,} "
            f"| {r['queries']} | {r['peak_traced_mb']:.1f} / {r['peak_rss_mb']:.1f} MB |"
        )
    return "\n".join(out)


def _counts() -> str:
    from hearings.models import Recommendation
    from tracker.models import FollowUpLine, StatusUpdate

    return (
        f"{Recommendation.objects.count():,} recommendations, "
        f"{FollowUpLine.objects.count():,} lines, {StatusUpdate.objects.count():,} updates"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the database (its name has 'bench' or "
                        "it is a SQLite file)")  # fmt: skip
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if args.url.startswith("postgres") and "bench" not in args.url.rsplit("/", 1)[-1]:
        parser.error("a PostgreSQL database for benchmarks has 'bench' in its name")
    production_environment(args.url)
    os.environ["PUBLIC_RATE"] = "1000000"  # the throttle is not what is measured
    import django

    django.setup()
    prepare()
    log(_counts())
    results = measure(args.runs)
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
