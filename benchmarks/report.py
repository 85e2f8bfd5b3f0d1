"""docs/benchmarks.md from the figures of each (database, size): the machine, then a table
per size with the issue's targets beside each figure, each marked met or missed."""

import datetime
import os
import platform
import subprocess
from pathlib import Path

MEDIAN_MS, P95_MS = 150, 300
PEAK_MB = 100
# The admin list a page is compared with: the same rows, in Django's own admin.
YARDSTICK = {
    "list: search": "admin: recommendations, search",
    "update form (GET)": "admin: follow-up lines",
    "record an update (POST)": "admin: follow-up lines",
}
DEFAULT_YARDSTICK = "admin: recommendations"


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="ascii").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        meminfo = Path("/proc/meminfo").read_text(encoding="ascii").split()
        ram_gb = int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024 / 1024
    except (OSError, ValueError):
        ram_gb = 0
    return {"cpus": os.cpu_count(), "cpu_model": model, "ram_gb": round(ram_gb, 1),
            "python": platform.python_version(), "date": datetime.date.today().isoformat(),
            "commit": _commit(), "load": _load()}  # fmt: skip


def _commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,  # noqa: S607
                              text=True, check=True, cwd=Path(__file__).parent)  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:
        return "unknown"


def _mark(met: bool, missed: str) -> str:
    return "met" if met else f"**missed** {missed}"


def _ms(value: float) -> str:
    return f"{value:,.1f}"


def page_table(entry: dict, baseline: dict | None) -> list[str]:
    pages = {p["name"]: p for p in entry["pages"]}
    base_queries = (
        {_base_name(p["name"]): p["queries"] for p in baseline["pages"]} if baseline else {}
    )
    base_size = f"{baseline['size']:,}" if baseline else ""
    rows = [
        "| page | median ms | p95 ms | its SQL alone ms | queries | median < 150 ms "
        "| p95 < 300 ms | queries as at the smallest size | at least as fast as the admin |",
        "|---|--:|--:|--:|--:|---|---|---|---|",
    ]
    for p in entry["pages"]:
        cells = [p["name"], _ms(p["median_ms"]), _ms(p["p95_ms"]), _ms(p["sql_ms"]),
                 str(p["queries"])]  # fmt: skip
        if not p["target"]:
            cells += ["(the yardstick)"] + [""] * 3
        else:
            before = base_queries.get(_base_name(p["name"]))
            same = (
                "n/a (one size)"
                if baseline is None or before is None
                else _mark(
                    before == p["queries"], f"({p['queries']} here, {before} at {base_size})"
                )
            )
            admin = pages.get(YARDSTICK.get(p["name"], DEFAULT_YARDSTICK))
            cells += [
                _mark(p["median_ms"] < MEDIAN_MS, f"by {_ms(p['median_ms'] - MEDIAN_MS)} ms"),
                _mark(p["p95_ms"] < P95_MS, f"by {_ms(p['p95_ms'] - P95_MS)} ms"),
                same,
                _mark(p["median_ms"] <= admin["median_ms"],
                      f"({_ms(p['median_ms'])} vs {_ms(admin['median_ms'])} ms, {admin['name']})")
                if admin else "n/a",
            ]  # fmt: skip
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _base_name(name: str) -> str:
    """The deep page's number differs with the size; its row is the same page."""
    return name.split(" (")[0] if name.startswith("list: deep page") else name


def export_table(entry: dict) -> list[str]:
    rows = [
        "| export | seconds | floor (COPY) s | times the floor | target | peak MB | "
        "< 100 MB | size MB |",
        "|---|--:|--:|--:|---|--:|---|--:|",
    ]
    for e in entry["exports"]:
        if "floor_seconds" in e:
            ratio = f"{e['ratio']:.1f}"
            met = _mark(e["ratio"] <= e["target_ratio"], f"({ratio} > {e['target_ratio']})")
            floor = f"{e['floor_seconds']:.2f}"
        else:
            ratio, floor, met = "n/a", "n/a (no COPY)", "n/a"
        memory = _mark(e["peak_mb"] < PEAK_MB, f"by {e['peak_mb'] - PEAK_MB:.1f} MB")
        rows.append(
            f"| {e['name']} | {e['seconds']:.2f} | {floor} | {ratio} | at most "
            f"{e['target_ratio']}x: {met} | {e['peak_mb']:.1f} | {memory} "
            f"| {e['bytes'] / 1e6:.1f} |"
        )
    return rows


def document_table(entry: dict) -> list[str]:
    rows = ["| report | recommendations | seconds | peak MB | seconds per 1,000 | size MB "
            "| measured |", "|---|--:|--:|--:|--:|--:|---|"]  # fmt: skip
    for d in entry["documents"]:
        per = d["seconds"] * 1000 / max(d["recommendations"], 1)
        rows.append(f"| {d['name']} | {d['recommendations']:,} | {d['seconds']:.1f} | "
                    f"{d['peak_mb']:.1f} | {per:.1f} | {d['bytes'] / 1e6:.1f} "
                    f"| {d.get('measured_on', '')} |")  # fmt: skip
    return rows


def section(entry: dict, baseline: dict | None) -> list[str]:
    counts = entry["counts"]
    out = [
        f"## {entry['engine_version']}, {entry['size']:,} recommendations",
        "",
        f"- **data**: {counts['recommendations']:,} synthetic recommendations (3% restatements, "
        f"0.5% withdrawn) and the report's own, {counts['lines']:,} follow-up lines, "
        f"{counts['updates']:,} status updates; database {entry['database_bytes'] / 1e6:,.0f} MB",
        f"- **build**: migrate + load the report {entry['load_seconds']:.1f} s, synthetic data "
        f"{entry['build_seconds']:.1f} s",
        f"- **measured** {entry['measured_on']} at commit {entry['commit']}, load average "
        f"{entry['load']} when it began; {entry['runs']} timed runs per page after "
        f"{entry['warmup']} warm-ups; focal point for {entry['focal_actor']}",
        "",
        *page_table(entry, baseline),
        "",
        *export_table(entry),
    ]
    if entry["documents"]:
        out += ["", *document_table(entry)]
    return [*out, ""]


HEADER = """# Benchmarks

Written by `make bench` (`benchmarks/bench.py`; README, "Benchmarks and load tests").
Pages are timed in-process through `django.test.Client` with the production settings
(DEBUG off), logged in, each read to its end; "its SQL alone" is the same statements,
captured as the page ran them, run again bare through the driver's cursor. Exports go
through the export page, each run in a child process whose growth of resident memory is
its peak; the floor is PostgreSQL's `COPY (SELECT the same columns) TO STDOUT` of the same
rows in the same order (for the as-of CSV, the as-of rule and the roll-up in bare SQL).
Targets from issue 10; a missed one says by how much.
"""


def render(entries: list[dict], host: dict) -> str:
    out = [HEADER, f"- **machine**: {host['cpus']} CPUs ({host['cpu_model']}), "
           f"{host['ram_gb']} GB RAM, Python {host['python']}; "
           f"the databases: {', '.join(sorted({e['engine_version'] for e in entries}))}",
           f"- **written** {host['date']}", ""]  # fmt: skip
    ordered = sorted(entries, key=lambda e: (e["engine"] != "postgresql", e["size"]))
    for entry in ordered:
        same_engine = [e for e in ordered if e["engine"] == entry["engine"]]
        baseline = same_engine[0] if same_engine[0] is not entry else None
        out += section(entry, baseline)
    return "\n".join(out)
