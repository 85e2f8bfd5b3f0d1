"""docs/loadtest.md: throughput and percentiles per request type for one instance and for
two, the history check after each, the checks that the app keeps no state, each against
issue 10's targets."""

from benchmarks import report as bench_report

MIN_THROUGHPUT, MAX_P95_MS = 40, 1000
LABELS = {"one": "One gunicorn instance", "two": "Two gunicorn instances behind HAProxy"}


def _aggregate(run: dict) -> dict:
    return next(r for r in run["rows"] if r["Name"] == "Aggregated")


def targets(run: dict) -> list[tuple[str, bool, str]]:
    total, history = _aggregate(run), run["history"]
    rate, p95 = float(total["Requests/s"]), float(total["95%"])
    failures = int(total["Failure Count"])
    kept = not (history["missing"] or history["unexpected"] or history["duplicates"])
    right = not (history["wrong_lines"] or history["wrong_rollups"])
    return [
        (f"at least {MIN_THROUGHPUT} requests/s", rate >= MIN_THROUGHPUT, f"{rate:.1f}/s"),
        (f"95th percentile under {MAX_P95_MS} ms", p95 < MAX_P95_MS, f"{p95:,.0f} ms"),
        ("no error", failures == 0, f"{failures} failed requests"),
        ("every accepted update in the history, and nothing else", kept,
         f"{history['accepted']} accepted, {history['stored']} in the history, "
         f"{history['missing']} missing, {history['unexpected']} never sent, "
         f"{history['duplicates']} twice, {history.get('unanswered', 0)} recorded but "
         "unanswered (in flight at the stop)"),
        ("current status, version and roll-up right on every line touched", right,
         f"{history['lines']} lines: {history['wrong_lines']} wrong, "
         f"{history['wrong_rollups']} wrong roll-ups"),
    ]  # fmt: skip


def correct(runs, checks) -> bool:
    """No error, the history and the lines right, and no state of its own: what must hold
    whatever the speed (speed is reported, not enforced: `make loadtest` fails on these)."""
    speed = {f"at least {MIN_THROUGHPUT} requests/s", f"95th percentile under {MAX_P95_MS} ms"}
    return all(held for run in runs for claim, held, _d in targets(run) if claim not in speed
               ) and all(held for _c, held, _d in checks)  # fmt: skip


def _table(run: dict) -> list[str]:
    out = ["| request | requests | failures | per second | p50 ms | p95 ms | p99 ms |",
           "|---|--:|--:|--:|--:|--:|--:|"]  # fmt: skip
    rows = sorted((r for r in run["rows"] if int(r["Request Count"])),
                  key=lambda r: (r["Name"] == "Aggregated", r["Name"]))  # fmt: skip
    for r in rows:
        name = "**all requests**" if r["Name"] == "Aggregated" else f"{r['Type']} {r['Name']}"
        rate = float(r["Requests/s"])
        out.append(f"| {name} | {r['Request Count']} | {r['Failure Count']} | {rate:.1f} | "
                   f"{r['50%']} | {r['95%']} | {r['99%']} |")  # fmt: skip
    return out


def render(args, runs: list[dict], checks: list[tuple]) -> str:
    host = bench_report.machine()
    out = [
        "# Load test", "",
        "Written by `make loadtest` (`benchmarks/loadtest/run.py`; README, \"Benchmarks and "
        "load tests\"): gunicorn with the production settings (DEBUG off) on PostgreSQL, "
        "locust headless on the same machine (it takes CPU from the servers too). Users log "
        "in during the ramp-up, whose figures are dropped; then 80% page reads, 15% small "
        "exports (a Member State's lines, or a focal point's own, CSV or Excel), 5% status "
        "updates through the form with its CSRF token and the line's version (a refusal as "
        "stale is a correct answer, counted apart).", "",
        f"- **machine**: {host['cpus']} CPUs ({host['cpu_model']}), {host['ram_gb']} GB RAM, "
        f"Python {host['python']}; load average {host['load']} at the end",
        f"- **run** {host['date']} at commit {host['commit']}: {args.size:,} synthetic "
        f"recommendations, {args.users} users (2 focal points to 1 coordinator) for "
        f"{args.seconds} s after a ramp-up at {args.spawn_rate:g}/s, think time "
        f"{args.wait_min:g}-{args.wait_max:g} s, {args.workers} gunicorn workers per instance",
        "",
    ]  # fmt: skip
    for run in runs:
        history = run["history"]
        out += [f"## {LABELS[run['label']]}", "", *_table(run), "",
                f"Refused as stale: {run['results']['stale']}; updates refused otherwise: "
                f"{run['results']['refused']}; accepted: {history['accepted']}.", "",
                "| target | | figure |", "|---|---|---|"]  # fmt: skip
        for claim, held, detail in targets(run):
            out.append(f"| {claim} | {'met' if held else '**missed**'} | {detail} |")
        out.append("")
    out += ["## No state of its own", "",
            "Against the two instances directly (A and B), after the run above:", "",
            "| claim | | what was seen |", "|---|---|---|"]  # fmt: skip
    for claim, held, detail in checks:
        out.append(f"| {claim} | {'holds' if held else '**fails**'} | {detail} |")
    return "\n".join([*out, ""])
