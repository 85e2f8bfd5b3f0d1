"""Page times and query counts at the scale of the UN's human-rights index (~267,000 entries).

Builds a throwaway database (SQLite in a temporary folder, or PostgreSQL with
--database-url), migrates, loads the real report, then adds N synthetic recommendations
spread over the real paragraphs, themes and agenda points, each addressed to 1-3 real
actors (Member States included), with their follow-up lines, their rolled-up progress
and a few status updates on about 30% of the lines (current status, version and roll-up
kept consistent, as tracker.services would leave them). Then it times the pages through
django.test.Client, logged in as a coordinator and as a focal point for one Member State:
median wall time of 5 runs after 1 warm-up, and the number of queries. Run:

    .venv/bin/python benchmarks/scale.py [--recommendations 267000]
    .venv/bin/python benchmarks/scale.py --database-url postgres://postgres@127.0.0.1:5432/hearings_bench

PostgreSQL: the database is created if missing (emptied if it exists) and dropped at the
end; the tables are ANALYZEd after the build, as autovacuum would. SQLite is left without
statistics (as the app leaves it) unless --analyze. Prints a Markdown table; progress goes
to stderr; nothing is written outside the throwaway database.
"""

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEARINGS = datetime.date(2013, 7, 15)
FIRST_LOAD = datetime.datetime(2013, 8, 1, tzinfo=datetime.UTC)
# Status of an update, with weights: most lines move along the scale, a few close.
UPDATE_STATUSES = [
    ("not-started", 15),
    ("planned", 20),
    ("in-progress", 30),
    ("partially-implemented", 15),
    ("implemented", 10),
    ("will-not-be-implemented", 5),
    ("no-longer-relevant", 5),
]
NOTE = "Benchmark note: the ministry reports on the measures taken, with figures. "


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recommendations", type=int, default=267_000, metavar="N")
    parser.add_argument("--database-url", help="PostgreSQL URL; default: SQLite in a temp dir")
    parser.add_argument("--batch", type=int, default=5000, help="recommendations per batch")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per page")
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--focal-actor", default="phl", help="Member State of the focal point")
    parser.add_argument("--analyze", action="store_true", help="ANALYZE SQLite after the build")
    return parser.parse_args()


# ---------------------------------------------------------------- the throwaway database


def postgres_admin(url: str):
    """A connection to the server's `postgres` database, and the benchmark database's name."""
    import dj_database_url
    import psycopg2

    db = dj_database_url.parse(url)
    params = {
        "dbname": "postgres",
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
    }
    connection = psycopg2.connect(**{k: v for k, v in params.items() if v})
    connection.autocommit = True  # CREATE and DROP DATABASE cannot run in a transaction
    return connection, db["NAME"]


def postgres_create(url: str) -> bool:
    """Create the database if missing; True if it already existed."""
    from psycopg2 import sql

    connection, name = postgres_admin(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return True
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return False
    finally:
        connection.close()


def postgres_drop(url: str) -> None:
    from psycopg2 import sql

    connection, name = postgres_admin(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    finally:
        connection.close()


def database_size(sqlite_path: Path | None) -> int:
    from django.db import connection

    if sqlite_path is not None:
        return sum(
            p.stat().st_size
            for p in sqlite_path.parent.iterdir()
            if p.name.startswith(sqlite_path.name)
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


# ---------------------------------------------------------------- synthetic data


class Builder:
    """Generates batches of recommendations with explicit primary keys, so that lines can
    name their current update before it is inserted (foreign keys are checked at commit)."""

    def __init__(self, seed: int, focal_actor_key: str):
        from django.contrib.auth import get_user_model
        from django.db.models import Max
        from django.utils import timezone

        from hearings.models import Actor, AgendaPoint, Paragraph, Recommendation, Theme
        from tracker.models import FollowUpLine, Profile, Role, StatusUpdate

        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
        self.now = timezone.now()
        self.today = self.now.date()
        self.paragraphs = list(
            Paragraph.objects.filter(recommendations__isnull=False)
            .distinct()
            .values_list("pk", flat=True)
        )
        self.themes = list(Theme.objects.values_list("pk", flat=True))
        self.points = list(AgendaPoint.objects.values_list("pk", flat=True))
        actors = list(Actor.objects.values_list("pk", "kind"))
        self.member_states = [pk for pk, kind in actors if kind == Actor.Kind.MEMBER_STATE]
        self.others = [pk for pk, kind in actors if kind != Actor.Kind.MEMBER_STATE]
        self.texts = list(Recommendation.objects.main().values_list("title", "text"))
        self.statuses = [s for s, _w in UPDATE_STATUSES]
        self.weights = [w for _s, w in UPDATE_STATUSES]

        User = get_user_model()
        self.coordinator = User.objects.create_user("bench-coordinator", is_staff=True)
        Profile.objects.create(user=self.coordinator, role=Role.COORDINATOR)
        self.focal_actor = Actor.objects.get(key=focal_actor_key)
        self.focal_point = User.objects.create_user("bench-focal-point", is_staff=True)
        Profile.objects.create(user=self.focal_point, role=Role.FOCAL_POINT).actors.set(
            [self.focal_actor]
        )
        self.recorders = [self.coordinator.pk, self.focal_point.pk]
        for i in range(8):
            user = User.objects.create_user(f"bench-recorder-{i}", is_staff=True)
            Profile.objects.create(user=user, role=Role.COORDINATOR)
            self.recorders.append(user.pk)

        def next_pk(model):
            return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

        self.next_rec = next_pk(Recommendation)
        self.next_line = next_pk(FollowUpLine)
        self.next_update = next_pk(StatusUpdate)
        self.position = (Recommendation.objects.aggregate(m=Max("position"))["m"] or 0) + 1
        self.detail_code = None  # a main recommendation with three lines, two with history
        self.counts = dict.fromkeys(["recommendations", "lines", "updates"], 0)

    def _date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def _updates(self, line_id: int, created: datetime.datetime):
        """1-4 updates for a line, in order of effective date, recorded soon after each."""
        from tracker.models import StatusUpdate

        rng = self.rng
        dates = sorted(self._date(HEARINGS, self.today) for _ in range(rng.randint(1, 4)))
        updates = []
        for effective in dates:
            recorded = datetime.datetime.combine(effective, datetime.time(9), tzinfo=datetime.UTC)
            recorded = max(recorded, created) + datetime.timedelta(
                days=rng.randint(0, 30), minutes=rng.randint(0, 600)
            )
            updates.append(
                StatusUpdate(
                    pk=self.next_update,
                    line_id=line_id,
                    status=rng.choices(self.statuses, self.weights)[0],
                    note=NOTE + f"Line {line_id}, {effective.isoformat()}.",
                    evidence_links=(
                        [f"https://example.org/evidence/{self.next_update}"]
                        if rng.random() < 0.3
                        else []
                    ),
                    effective_date=effective,
                    recorded_by_id=rng.choice(self.recorders),
                    recorded_at=min(recorded, self.now),
                )
            )
            self.next_update += 1
        return updates

    def batch(self, size: int) -> None:
        from django.db import transaction

        from hearings.models import Addressee, Recommendation
        from tracker.models import FollowUpLine, RecommendationProgress, StatusUpdate
        from tracker.rollup import count_by_status, roll_up

        rng = self.rng
        recs, addressees, links, lines, updates, progress = [], [], [], [], [], []
        mains: list[int] = []
        for _ in range(size):
            pk, number = self.next_rec, self.counts["recommendations"]
            title, text = rng.choice(self.texts)
            kind = rng.random()
            restates = rng.choice(mains) if kind < 0.03 and mains else None
            withdrawn = self.now if 0.03 <= kind < 0.035 else None
            recs.append(
                Recommendation(
                    pk=pk,
                    code=f"B{number:06d}",
                    paragraph_id=rng.choice(self.paragraphs),
                    title=f"{title} (#{number})",
                    text=text,
                    theme_id=rng.choice(self.themes),
                    position=self.position,
                    restates_id=restates,
                    withdrawn_at=withdrawn,
                )
            )
            self.next_rec += 1
            self.position += 1
            self.counts["recommendations"] += 1
            for point in rng.sample(self.points, rng.choice([0, 1, 1, 2])):
                links.append(
                    Recommendation.agenda_points.through(recommendation_id=pk, agendapoint_id=point)
                )
            actors: set[int] = set()
            while len(actors) < rng.choice([1, 1, 2, 2, 3]):
                pool = self.member_states if rng.random() < 0.5 else self.others
                actors.add(rng.choice(pool))
            addressees.extend(
                Addressee(recommendation_id=pk, actor_id=a, inferred=rng.random() < 0.1)
                for a in actors
            )
            if restates or withdrawn:
                continue  # lines and progress belong to current, main recommendations
            mains.append(pk)
            statuses, with_history = [], 0
            for actor in sorted(actors):
                created = FIRST_LOAD + datetime.timedelta(days=rng.randint(0, 900))
                line = FollowUpLine(
                    pk=self.next_line,
                    recommendation_id=pk,
                    actor_id=actor,
                    addressed=True,
                    created_at=created,
                    target_date=(
                        self._date(datetime.date(2014, 1, 1), datetime.date(2030, 12, 31))
                        if rng.random() < 0.25
                        else None
                    ),
                )
                self.next_line += 1
                if rng.random() < 0.3:
                    history = self._updates(line.pk, created)
                    current = max(history, key=lambda u: (u.effective_date, u.recorded_at, u.pk))
                    line.status = current.status
                    line.status_since = current.effective_date
                    line.current_update_id = current.pk
                    line.update_count = len(history)
                    line.last_recorded_at = max(u.recorded_at for u in history)
                    updates.extend(history)
                    with_history += 1
                lines.append(line)
                statuses.append(line.status)
            progress.append(
                RecommendationProgress(
                    recommendation_id=pk,
                    status=roll_up(statuses),
                    line_counts=count_by_status(statuses),
                )
            )
            if self.detail_code is None and len(actors) == 3 and with_history >= 2:
                self.detail_code = recs[-1].code
        with transaction.atomic():  # deferred foreign keys: lines name updates inserted after
            Recommendation.objects.bulk_create(recs)
            Recommendation.agenda_points.through.objects.bulk_create(links)
            Addressee.objects.bulk_create(addressees)
            FollowUpLine.objects.bulk_create(lines)
            StatusUpdate.objects.bulk_create(updates)
            RecommendationProgress.objects.bulk_create(progress)
        self.counts["lines"] += len(lines)
        self.counts["updates"] += len(updates)


def reset_sequences() -> None:
    """PostgreSQL: move the id sequences past the explicit primary keys."""
    from django.core.management.color import no_style
    from django.db import connection

    from hearings.models import Recommendation
    from tracker.models import FollowUpLine, StatusUpdate

    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(
        no_style(), [Recommendation, FollowUpLine, StatusUpdate]
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def build(n: int, batch: int, seed: int, focal_actor: str, analyze: bool) -> Builder:
    from django.db import connection, reset_queries

    builder = Builder(seed, focal_actor)
    done = 0
    started = time.perf_counter()
    while done < n:
        size = min(batch, n - done)
        builder.batch(size)
        done += size
        reset_queries()  # DEBUG keeps the SQL of every query; the inserts are large
        if done % (batch * 10) == 0 or done == n:
            log(f"  {done:>7} recommendations  {time.perf_counter() - started:6.0f} s")
    reset_sequences()
    if connection.vendor == "postgresql" or analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return builder


# ---------------------------------------------------------------- measuring


class Result:
    def __init__(self, name, url, times, queries, size, note=""):
        self.name, self.url, self.times = name, url, times
        self.queries, self.size, self.note = queries, size, note


def fetch(client, url: str):
    """GET url and read the whole body (streamed responses chunk by chunk); (status, bytes)."""
    response = client.get(url)
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return response.status_code, size


def time_page(client, name: str, url: str, runs: int, note: str = "") -> Result:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    status, _size = fetch(client, url)  # warm-up
    if status != 200:
        raise RuntimeError(f"{url}: HTTP {status}")
    times, queries, size = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            _status, size = fetch(client, url)
            times.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
        reset_queries()
    log(f"  {name:<34} {statistics.median(times) * 1000:9.1f} ms  {queries:3} queries")
    return Result(name, url, times, queries, size, note)


def export_peak_memory(client, url: str) -> float:
    tracemalloc.start()
    try:
        fetch(client, url)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def time_status_update(builder: Builder, runs: int) -> Result:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from tracker.models import FollowUpLine
    from tracker.services import status_update_record

    lines = list(
        FollowUpLine.objects.filter(
            update_count__gt=0, recommendation__code__startswith="B"
        ).order_by("-pk")[: runs + 1]
    )
    times, queries = [], 0
    for index, line in enumerate(lines):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            status_update_record(
                line_id=line.pk,
                user=builder.coordinator,
                status="in-progress",
                note="Benchmark: recorded during the scale benchmark.",
                effective_date=builder.today,
                evidence_links=["https://example.org/evidence"],
                seen_version=line.update_count,
            )
            elapsed = time.perf_counter() - started
        if index:  # the first is the warm-up
            times.append(elapsed)
            queries = len(captured.captured_queries)
        reset_queries()
    log(f"  status_update_record {statistics.median(times) * 1000:9.1f} ms  {queries:3} queries")
    return Result(
        "status_update_record (service)", "", times, queries, 0, "one line, in a transaction"
    )


def measure(builder: Builder, runs: int) -> list[Result]:
    from django.test import Client

    coordinator, focal = Client(), Client()
    coordinator.force_login(builder.coordinator)
    focal.force_login(builder.focal_point)
    pages = [
        (coordinator, "dashboard (coordinator)", "/"),
        (focal, "dashboard (focal point)", "/"),
        (coordinator, "list: default", "/recommendations/"),
        (coordinator, "list: theme + status", "/recommendations/?theme=rights&status=in-progress"),
        (coordinator, "list: search", "/recommendations/?q=recruitment"),
        (coordinator, "list: sorted by title", "/recommendations/?sort=title"),
        (coordinator, "list: page 500", "/recommendations/?page=500"),
        (coordinator, "recommendation page", f"/recommendations/{builder.detail_code}/"),
        (focal, "list: mine (focal point)", "/recommendations/?mine=on"),
    ]
    results = [time_page(client, name, url, runs) for client, name, url in pages]
    export_url = f"/export/?format=csv&as_of={builder.today.isoformat()}&grouping=theme&download=1"
    export = time_page(coordinator, "CSV export, full set", export_url, runs)
    peak = export_peak_memory(coordinator, export_url)
    export.note = f"{export.size / 1e6:.1f} MB of CSV, peak {peak / 1e6:.1f} MB (tracemalloc)"
    results.append(export)
    results.append(time_status_update(builder, runs))
    return results


def table(results: list[Result], header: dict[str, str]) -> str:
    out = [f"- **{key}**: {value}" for key, value in header.items()]
    out += [
        "",
        "| measurement | URL | median ms | min ms | max ms | queries | response | notes |",
        "|---|---|--:|--:|--:|--:|--:|---|",
    ]
    for r in results:
        size = f"{r.size / 1024:.0f} KB" if r.size else ""
        out.append(
            f"| {r.name} | `{r.url}` | {statistics.median(r.times) * 1000:.1f} "
            f"| {min(r.times) * 1000:.1f} | {max(r.times) * 1000:.1f} | {r.queries} "
            f"| {size} | {r.note} |"
        )
    return "\n".join(out).replace("| `` |", "|  |")


# ---------------------------------------------------------------- main


def main() -> None:
    args = parse_args()
    sqlite_dir = sqlite_path = None
    if args.database_url:
        existed = postgres_create(args.database_url)
        os.environ["DATABASE_URL"] = args.database_url
    else:
        sqlite_dir = Path(tempfile.mkdtemp(prefix="hearings-scale-"))
        sqlite_path = sqlite_dir / "benchmark.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
        existed = False
    os.environ["DJANGO_SETTINGS_MODULE"] = "hearings.settings"
    os.environ.setdefault("DEBUG", "true")
    os.environ["ALLOWED_HOSTS"] = "testserver"  # django.test.Client's host
    os.environ["LOG_LEVEL"] = "WARNING"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from hearings.loading import load_report

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        if existed:
            call_command("flush", interactive=False, verbosity=0)
        load_report()
        loaded = time.perf_counter() - started
        log(f"migrated and loaded the report in {loaded:.1f} s; building {args.recommendations}")
        started = time.perf_counter()
        builder = build(args.recommendations, args.batch, args.seed, args.focal_actor, args.analyze)
        built = time.perf_counter() - started
        size = database_size(sqlite_path)
        results = measure(builder, args.runs)
        vendor = connection.vendor
        if vendor == "sqlite":
            engine = f"SQLite {connection.Database.sqlite_version}"
            engine += ", ANALYZEd" if args.analyze else ", no ANALYZE"
        else:
            engine = f"PostgreSQL {connection.pg_version // 10000}, ANALYZEd"
        counts = builder.counts
        header = {
            "database": engine,
            "synthetic data": (
                f"{counts['recommendations']:,} recommendations (3% restatements, 0.5% "
                f"withdrawn), {counts['lines']:,} follow-up lines, "
                f"{counts['updates']:,} status updates; plus the report's 148 entries"
            ),
            "build": f"migrate + load_report {loaded:.1f} s, synthetic data {built:.1f} s",
            "database size": f"{size / 1e6:.0f} MB",
            "focal point": f"{builder.focal_actor.name} "
            f"({builder.focal_actor.follow_up_lines.count():,} lines)",
            "timing": f"median of {args.runs} runs after 1 warm-up, django.test.Client, DEBUG on",
        }
        print(table(results, header))
    finally:
        if args.database_url:
            from django.db import connections

            connections.close_all()
            postgres_drop(args.database_url)
        elif sqlite_dir is not None:
            shutil.rmtree(sqlite_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
