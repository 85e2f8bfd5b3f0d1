"""manage.py send_reminders: the digests due today, for cron (or the job runner's schedule).

All of it is tracker.notifications.digests.digests_send; this only reads the options and
prints what happened. Run it every day: each person gets at most one digest per period."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from tracker.models import HEARINGS_DATE, LATEST_DATE
from tracker.notifications.digests import digests_send


def _day(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--now must be a date written YYYY-MM-DD, for example 2026-03-02, not {value!r}"
        ) from None
    if not HEARINGS_DATE <= day <= LATEST_DATE:
        raise CommandError(
            f"--now must be between {HEARINGS_DATE.isoformat()} and {LATEST_DATE.isoformat()}, "
            f"not {value}"
        )
    return day


class Command(BaseCommand):
    help = (
        "E-mail each focal point the digest of their lines (overdue, due within 30 days, "
        "nothing recorded for STALE_AFTER_DAYS) if this week's or month's has not gone yet. "
        "Example: manage.py send_reminders --dry-run"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print who would get what; send nothing and claim nothing",
        )
        parser.add_argument(
            "--now",
            metavar="YYYY-MM-DD",
            help="run as of this day instead of today (catching up, tests)",
        )

    def handle(self, *args, **options):
        today = _day(options["now"]) if options["now"] else None
        run = digests_send(today, dry_run=options["dry_run"])
        for line in run.report():
            self.stdout.write(line)
        if run.failed:
            raise CommandError(
                f"{len(run.failed)} digest(s) could not be sent; they are recorded as failed "
                "(coordinators see them on the page of e-mails sent)"
            )
