"""One database at one size, in its own process (benchmarks/bench.py starts one per size):
create it empty, migrate, load the report, build the synthetic data, measure the pages,
the exports and the documents, write the figures as JSON, drop the database.

    .venv/bin/python -m benchmarks.run_size --engine postgresql --size 25000 --json out.json

With --build-only it stops after the build and keeps the database (PostgreSQL), so that
another benchmark can measure the same data.
"""

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

from . import database


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["postgresql", "sqlite"], required=True)
    parser.add_argument("--size", type=int, required=True, help="synthetic recommendations")
    parser.add_argument("--json", type=Path, required=True, help="where the figures go")
    parser.add_argument("--url", help="PostgreSQL URL (default: hearings_bench, see database.py)")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per page first")
    parser.add_argument(
        "--export-runs",
        type=int,
        default=None,
        help="runs per export and floor (default 3, 1 from 25,000)",
    )
    parser.add_argument(
        "--documents",
        type=int,
        default=1000,
        metavar="N",
        help="recommendations in the PDF and Word reports (0: none)",
    )
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--build-only", action="store_true",
                        help="build the data, write its figures and keep the database (for "
                        "another benchmark on the same data); measure nothing")  # fmt: skip
    return parser.parse_args(argv)


def production_environment(url: str) -> None:
    """The app's production settings (DEBUG off, a real key), served over plain HTTP to
    django.test.Client's host; benchmarks/settings.py for static file names."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings", DATABASE_URL=url, DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="testserver",
        PUBLIC_BASE_URL="http://testserver", SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false", LOG_LEVEL="WARNING", DEMO="false",
    )  # fmt: skip


def _size_bytes(sqlite_path: Path | None) -> int:
    from django.db import connection

    if sqlite_path is not None:
        return sum(p.stat().st_size for p in sqlite_path.parent.glob(sqlite_path.name + "*"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def measure(args, sqlite_path: Path | None) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hearings.loading import load_report

    from . import data, export_floors, pages

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_report()
    loaded = time.perf_counter() - started
    log(f"{args.engine} {args.size:,}: migrated and loaded the report in {loaded:.1f} s")
    started = time.perf_counter()
    builder = data.build(args.size, seed=args.seed, log=log)
    built = time.perf_counter() - started
    log(f"built {builder.counts} in {built:.1f} s")
    if connection.vendor == "sqlite":
        engine = f"SQLite {connection.Database.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            engine = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    figures = {
        "engine": args.engine, "engine_version": engine, "size": args.size,
        "counts": builder.counts, "load_seconds": loaded, "build_seconds": built,
        "database_bytes": _size_bytes(sqlite_path), "runs": args.runs, "warmup": args.warmup,
        "focal_actor": builder.focal_actor.name,
    }  # fmt: skip
    if args.build_only:
        return figures
    figures["pages"] = [r.figures() for r in pages.measure(builder, args.runs, args.warmup, log)]
    export_runs = args.export_runs or (3 if args.size < 25_000 else 1)
    figures["exports"] = export_floors.measure_exports_against_floors(builder, export_runs, log)
    figures["documents"] = (
        export_floors.measure_documents(builder, args.documents, log) if args.documents else []
    )
    return figures


def main(argv=None) -> None:
    args = parse_args(argv)
    folder = None
    if args.engine == "postgresql":
        url, sqlite_path = args.url or database.bench_url(), None
        database.postgres_recreate(url)
    else:
        folder = tempfile.TemporaryDirectory(prefix="hearings-bench-")
        sqlite_path = Path(folder.name) / "bench.sqlite3"
        url = f"sqlite:///{sqlite_path}"
    production_environment(url)
    try:
        figures = measure(args, sqlite_path)
        args.json.write_text(json.dumps(figures, indent=1, default=str), encoding="utf-8")
    finally:
        if args.engine == "postgresql" and not args.build_only:
            from django.db import connections

            connections.close_all()
            database.postgres_drop(url)
        if folder is not None:
            folder.cleanup()


if __name__ == "__main__":
    main()
