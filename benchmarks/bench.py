"""`make bench`: pages and exports at 1,000, 25,000 and 267,000 recommendations on
PostgreSQL (and 1,000 and 25,000 on SQLite), against issue 10's targets; writes
docs/benchmarks.md (and the figures as docs/benchmarks.json, which later runs of other
sizes add to). Each (database, size) runs in its own process (benchmarks/run_size.py).

    .venv/bin/python -m benchmarks.bench [--sizes 1000,25000] [--engines postgresql,sqlite]

PostgreSQL: DATABASE_URL if its database's name contains "bench", else hearings_bench on
DATABASE_URL's server (or the local one); it is dropped and made again at each size, and
dropped at the end. SQLite: a file in a temporary folder. Progress goes to stderr.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from . import report

ROOT = Path(__file__).resolve().parent.parent
SIZES = [1000, 25_000, 267_000]
SQLITE_MAX = 25_000  # SQLite is measured at the sizes up to this


def _ints(text: str) -> list[int]:
    try:
        values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"sizes are whole numbers, comma-separated: {text!r}"
        ) from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be 1 or more: {text!r}")
    return values


def _engines(text: str) -> list[str]:
    engines = [part.strip() for part in text.split(",") if part.strip()]
    unknown = set(engines) - {"postgresql", "sqlite"}
    if unknown or not engines:
        raise argparse.ArgumentTypeError(f"engines are postgresql and/or sqlite, not {text!r}")
    return engines


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=_ints, default=SIZES, help="e.g. 1000,25000")
    parser.add_argument("--engines", type=_engines, default=["postgresql", "sqlite"])
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--export-runs", type=int, help="default 3 (1 from 25,000)")
    parser.add_argument("--documents", type=int, default=1000, metavar="N",
                        help="recommendations in the PDF and Word reports, measured at the "
                        "first size only (0: none)")  # fmt: skip
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--url", help="PostgreSQL URL (default: see above)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be 1 or more and --warmup 0 or more")
    return args


def plan(args) -> list[tuple[str, int]]:
    """(engine, size) pairs: SQLite only up to SQLITE_MAX, unless only SQLite is asked."""
    pairs = []
    for engine in args.engines:
        sizes = args.sizes
        if engine == "sqlite" and len(args.engines) > 1:
            sizes = [s for s in sizes if s <= SQLITE_MAX]
        pairs += [(engine, size) for size in sizes]
    return pairs


def run_one(args, engine: str, size: int, documents: int, folder: Path) -> dict:
    out = folder / f"{engine}-{size}.json"
    command = [sys.executable, "-m", "benchmarks.run_size", "--engine", engine, "--size",
               str(size), "--json", str(out), "--runs", str(args.runs), "--warmup",
               str(args.warmup), "--documents", str(documents)]  # fmt: skip
    if args.export_runs:
        command += ["--export-runs", str(args.export_runs)]
    if args.url and engine == "postgresql":
        command += ["--url", args.url]
    subprocess.run(command, cwd=ROOT, check=True)  # noqa: S603 - our own interpreter
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv=None) -> int:
    args = parse_args(argv)
    host = report.machine()
    figures_path = args.output.with_suffix(".json")
    kept = []
    if figures_path.exists():
        kept = json.loads(figures_path.read_text(encoding="utf-8"))["entries"]
    with tempfile.TemporaryDirectory(prefix="hearings-bench-") as folder:
        for index, (engine, size) in enumerate(plan(args)):
            documents = args.documents if index == 0 else 0
            entry = run_one(args, engine, size, documents, Path(folder))
            entry.update(measured_on=host["date"], commit=host["commit"], load=host["load"])
            if not entry["documents"]:  # keep the last documents measured at this size
                old = [e for e in kept if (e["engine"], e["size"]) == (engine, size)]
                entry["documents"] = old[0]["documents"] if old else []
            kept = [e for e in kept if (e["engine"], e["size"]) != (engine, size)] + [entry]
            args.output.parent.mkdir(parents=True, exist_ok=True)
            figures_path.write_text(json.dumps({"machine": host, "entries": kept}, indent=1),
                                    encoding="utf-8")  # fmt: skip
            args.output.write_text(report.render(kept, host), encoding="utf-8")
            print(f"wrote {args.output} ({engine} {size:,})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
