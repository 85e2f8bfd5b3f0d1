"""`make loadtest`: gunicorn with the production settings on PostgreSQL under locust
(headless), first one instance, then two behind HAProxy against the same database; after
each run, every update locust saw accepted must be in the history, and no other; then the
checks that the app keeps no state of its own (stateless.py). Writes docs/loadtest.md.

    .venv/bin/python -m benchmarks.loadtest.run [--size 25000] [--users 30] [--seconds 60]

The database is hearings_bench_load on DATABASE_URL's server (or the local one), built at
--size if it does not hold that size yet (--fresh to build it again) and kept for the next
run. Logs of the servers and locust's CSV go to a temporary folder, named at the end.
"""

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import database
from benchmarks.loadtest import servers, stateless

ROOT = Path(__file__).resolve().parents[2]
FOCAL_POINTS = 10  # accounts, one per actor with the most lines
# One key for every instance: sessions and CSRF tokens must pass between them.
SECRET_KEY = secrets.token_urlsafe(50)
LOGIN_ALLOWANCE = 300  # seconds the logins of the ramp-up may take at most


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=25_000, help="synthetic recommendations")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60, help="at full load, after ramp-up")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per instance")
    parser.add_argument("--wait", default="0.1,0.5", help="think time between a user's requests, "
                        "min,max seconds")  # fmt: skip
    parser.add_argument("--fresh", action="store_true", help="build the database again")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "loadtest.md")
    args = parser.parse_args(argv)
    if min(args.size, args.users, args.seconds, args.workers) < 1 or args.spawn_rate <= 0:
        parser.error("size, users, seconds, workers and spawn rate must be positive")
    try:
        args.wait_min, args.wait_max = (float(v) for v in args.wait.split(","))
    except ValueError:
        parser.error(f"--wait is min,max seconds, e.g. 0.1,0.5, not {args.wait!r}")
    return args


def environment(url: str, base_url: str, proxies: int) -> dict:
    """Production settings (DEBUG off, a real key, the database cache) over plain HTTP on
    the loopback: secure cookies and the HTTPS redirect off, as the README allows for that.
    `proxies`: TRUSTED_PROXY_COUNT (1 behind HAProxy, which appends X-Forwarded-For)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEMO"}}
    env.update(
        DJANGO_SETTINGS_MODULE="hearings.settings", DATABASE_URL=url, DEBUG="false",
        SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1,localhost", PUBLIC_BASE_URL=base_url,
        SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false", LOG_LEVEL="WARNING",
        TRUSTED_PROXY_COUNT=str(proxies),
    )  # fmt: skip
    return env


def prepare(args, url: str) -> dict:
    """The database at the size asked, its accounts, and the plan locust reads."""
    if args.fresh or not database.postgres_exists(url):
        database.postgres_recreate(url)
    os.environ.update(environment(url, "http://127.0.0.1", 0))
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks import data
    from hearings.loading import load_report
    from hearings.models import Recommendation

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)  # as production does
    synthetic = Recommendation.objects.filter(code__startswith="B").count()
    if synthetic != args.size:
        if synthetic:
            database.postgres_recreate(url)
            from django.db import connections

            connections.close_all()
            call_command("migrate", verbosity=0)
            call_command("createcachetable", verbosity=0)
        load_report()
        started = time.perf_counter()
        data.build(args.size, log=log)
        log(f"built {args.size:,} recommendations in {time.perf_counter() - started:.0f} s")
    return _plan(args)


def _plan(args) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count
    from django.utils import timezone

    from benchmarks.data import PASSWORD
    from hearings.models import Actor, Recommendation
    from tracker.models import FollowUpLine, Profile, Role, Status

    User = get_user_model()
    busiest = list(Actor.objects.filter(kind=Actor.Kind.MEMBER_STATE)
                   .annotate(n=Count("follow_up_lines")).order_by("-n")[:FOCAL_POINTS])  # fmt: skip
    hashed = make_password(PASSWORD)
    focal_points, shared = [], []
    for index, actor in enumerate(busiest):
        user, made = User.objects.get_or_create(username=f"load-focal-{index}",
                                                defaults={"password": hashed})  # fmt: skip
        if made:
            Profile.objects.create(user=user, role=Role.FOCAL_POINT).actors.set([actor])
        lines = list(FollowUpLine.objects.filter(actor=actor, addressed=True)
                     .values_list("pk", flat=True)[:50])  # fmt: skip
        shared += lines[:20]
        focal_points.append({"username": user.username, "password": PASSWORD, "lines": lines})
    names = ["bench-coordinator", *(f"bench-recorder-{i}" for i in range(8))]
    coordinators = [{"username": u, "password": PASSWORD, "lines": shared} for u in names]
    mains = Recommendation.objects.main()
    return {
        "run": secrets.token_hex(4), "today": timezone.localdate().isoformat(),
        "focal_points": focal_points, "coordinators": coordinators,
        "recommendations": list(mains.order_by("?").values_list("code", flat=True)[:500]),
        "member_states": [a.key for a in busiest],
        "actors": ["governments", "ilo", "civil-society", *(a.key for a in busiest[:3])],
        "pages": max(2, min(500, mains.count() // 25)),
        "statuses": [s.value for s in Status if s != Status.NO_INFORMATION],
        "wait_min": args.wait_min, "wait_max": args.wait_max,
    }  # fmt: skip


def run_locust(args, host: str, plan: dict, folder: Path, label: str) -> dict:
    plan_path = folder / f"plan-{label}.json"
    results_path = folder / f"results-{label}.json"
    plan_path.write_text(json.dumps({**plan, "users": args.users, "seconds": args.seconds}),
                         encoding="utf-8")  # fmt: skip
    ramp = args.users / args.spawn_rate
    command = [str(Path(sys.executable).parent / "locust"), "-f",
               str(Path(__file__).parent / "locustfile.py"), "--headless", "--only-summary",
               "-u", str(args.users), "-r", str(args.spawn_rate),
               # The locustfile stops it once the measured period is over; this is a bound.
               "-t", f"{int(ramp + args.seconds + LOGIN_ALLOWANCE)}s", "--host", host,
               "--csv", str(folder / label), "--loglevel", "WARNING"]  # fmt: skip
    env = dict(os.environ, LOADTEST_PLAN=str(plan_path), LOADTEST_RESULTS=str(results_path))
    log(f"locust: {args.users} users for {args.seconds} s after {ramp:.0f} s of ramp-up, {host}")
    with (folder / f"locust-{label}.log").open("wb") as out:
        subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,  # noqa: S603
                       check=False, timeout=ramp + args.seconds + LOGIN_ALLOWANCE + 60)  # fmt: skip
    rows = list(csv.DictReader((folder / f"{label}_stats.csv").open(encoding="utf-8")))
    results = json.loads(results_path.read_text(encoding="utf-8"))
    return {"label": label, "rows": rows, "results": results, "history": history_check(
        plan["run"], results)}  # fmt: skip


def history_check(run: str, results: dict) -> dict:
    """Every update locust saw accepted is in the history, once, and nothing it did not send
    (one sent but cut off by the stop before its answer is counted apart, as unanswered);
    the lines it touched have the current status and version their history gives."""
    from hearings.models import Recommendation
    from tracker.models import ACTIVE_LINE, FollowUpLine, StatusUpdate
    from tracker.rollup import roll_up

    accepted = {(line, note) for line, note in results["accepted"]}
    sent = {(line, note) for line, note in results.get("sent", results["accepted"])}
    stored = list(StatusUpdate.objects.filter(note__startswith=f"Load test {run} ")
                  .values_list("line_id", "note"))  # fmt: skip
    lines = FollowUpLine.objects.filter(pk__in={line for line, _n in set(stored) | accepted})
    wrong_lines = 0
    for line in lines.prefetch_related("updates"):
        updates = sorted(line.updates.all(), key=lambda u: (u.effective_date, u.recorded_at, u.pk))
        if line.update_count != len(updates) or line.current_update_id != updates[-1].pk or (
                line.status != updates[-1].status):  # fmt: skip
            wrong_lines += 1
    wrong_rollups = 0
    for rec in Recommendation.objects.filter(follow_up_lines__in=lines).distinct():
        active = rec.follow_up_lines.filter(ACTIVE_LINE).values_list("status", flat=True)
        if rec.progress.status != roll_up(active):
            wrong_rollups += 1
    return {"accepted": len(results["accepted"]), "stored": len(stored),
            "missing": len(accepted - set(stored)), "unexpected": len(set(stored) - sent),
            # Sent, recorded, and cut off by the stop before locust read the answer.
            "unanswered": len((set(stored) & sent) - accepted),
            "duplicates": len(stored) - len(set(stored)), "lines": lines.count(),
            "wrong_lines": wrong_lines, "wrong_rollups": wrong_rollups}  # fmt: skip


def main(argv=None) -> int:
    from benchmarks.loadtest import report

    args = parse_args(argv)
    url = database.postgres_url("hearings_bench_load")
    folder = Path(tempfile.mkdtemp(prefix="hearings-loadtest-"))
    plan = prepare(args, url)
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    runs, checks, started = [], [], []
    try:
        port = servers.free_port()
        one = servers.gunicorn(port, args.workers, environment(url, f"http://127.0.0.1:{port}", 0),
                               folder / "gunicorn-one.log")  # fmt: skip
        started.append(one)
        runs.append(run_locust(args, f"http://127.0.0.1:{port}", plan, folder, "one"))
        one.stop()
        started.remove(one)
        ports = [servers.free_port(), servers.free_port()]
        proxy_port = servers.free_port()
        env = environment(url, f"http://127.0.0.1:{proxy_port}", 1)
        for p in ports:
            started.append(servers.gunicorn(p, args.workers, env, folder / f"gunicorn-{p}.log"))
        started.append(servers.haproxy(proxy_port, ports, folder, folder / "haproxy.log"))
        plan["run"] = secrets.token_hex(4)
        runs.append(run_locust(args, f"http://127.0.0.1:{proxy_port}", plan, folder, "two"))
        a, b = (f"http://127.0.0.1:{p}" for p in ports)
        checks = stateless.check_all(a, b, plan["coordinators"][0], plan["coordinators"][0][
            "lines"][0], settings.LOGIN_FAILURE_LIMIT)  # fmt: skip
    finally:
        for server in reversed(started):
            server.stop()
    text = report.render(args, runs, checks)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    log(f"wrote {args.output}; logs and locust's CSV in {folder}")
    return 0 if report.correct(runs, checks) else 1


if __name__ == "__main__":
    sys.exit(main())
