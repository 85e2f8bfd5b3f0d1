"""manage.py run_schedule: the reaper and the schedule alone, for a deployment that runs
them apart from the workers (every jobs_worker runs them too), or from cron with --once."""

import contextlib
import threading

from django.core.management.base import BaseCommand

from tracker.jobs import loop


class Command(BaseCommand):
    help = "Run the schedule (JOBS_SCHEDULE) and the reaper: once a minute, or --once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then stop")

    def handle(self, *args, **options):
        if options["once"]:
            loop.tick()
            return
        with contextlib.suppress(KeyboardInterrupt):
            loop.run_forever(threading.Event())
