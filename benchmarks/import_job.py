"""How long a background import holds its transaction open: N status updates confirmed
through the real job (tracker.imports.background, run in this process), on a throwaway
database (SQLite in a temporary folder, or PostgreSQL with --database-url, created and
dropped). On SQLite that is how long other writers wait behind it (the busy timeout,
hearings.settings_values.SQLITE_OPTIONS, must be longer). Prints one Markdown row.

    .venv/bin/python benchmarks/import_job.py [--rows 5000]
    .venv/bin/python benchmarks/import_job.py --database-url postgres://postgres@127.0.0.1:5432/hearings_bench
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--database-url", help="PostgreSQL URL; default: SQLite in a temp dir")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="import-job-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearings.settings")
    if args.database_url:
        from scale import postgres_create, postgres_drop

        postgres_create(args.database_url)
    try:
        run(args.rows)
    finally:
        if args.database_url:
            from django.db import connections

            connections.close_all()
            postgres_drop(args.database_url)


def run(rows: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from hearings.models import Actor, Recommendation
    from tracker.imports.background import import_job_start, status_updates_import_job
    from tracker.jobs.models import Job
    from tracker.models import FollowUpLine, Profile, Role, StatusUpdate

    call_command("migrate", verbosity=0)
    call_command("load_report", verbosity=0)
    user = get_user_model().objects.create_user("bench")
    Profile.objects.create(user=user, role=Role.COORDINATOR)
    states = list(Actor.objects.filter(kind="member-state"))
    recs = list(Recommendation.objects.main())
    FollowUpLine.objects.bulk_create(
        FollowUpLine(recommendation=rec, actor=state, addressed=False, added_by=user)
        for rec in recs
        for state in states
    )
    lines = list(FollowUpLine.objects.order_by("pk").values_list("pk", flat=True)[:rows])
    week_ago = (datetime.date.today() - datetime.timedelta(days=7)).isoformat()
    pending = {
        "filename": "bench.csv", "sha256": "-", "unchanged": 0, "columns": {},
        "rows": [[n + 2, {"line_id": str(pk), "last_update_id": "", "new_status": "planned",
                          "new_note": f"Benchmark row {n}.", "new_effective_date": week_ago,
                          "new_evidence_links": ""}] for n, pk in enumerate(lines)],
    }  # fmt: skip
    job = import_job_start(requester=user, pending=pending)
    start = time.perf_counter()
    status_updates_import_job.call(job.pk)
    seconds = time.perf_counter() - start
    job.refresh_from_db()
    if job.state != Job.State.DONE or StatusUpdate.objects.count() != len(lines):
        raise SystemExit(f"the import did not record every row: {job.state} {job.error}")
    print(f"| {connection.vendor} | {len(lines):,} rows | {seconds:.1f} s |")


if __name__ == "__main__":
    main()
