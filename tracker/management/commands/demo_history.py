import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tracker.demo.history import DemoRefused, history_record


class Command(BaseCommand):
    help = (
        "Record the demo's synthetic follow-up history (`make demo`). Only with DEMO=true, "
        "which gives the demo its own database (demo.sqlite3); a second run adds nothing."
    )

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO", False):
            raise CommandError(
                "demo_history writes a made-up follow-up history and runs only in a demo: "
                "DEMO is off, so this may be a real database. Refused. Run `make demo` (or set "
                "DEMO=true, which uses demo.sqlite3 whatever DATABASE_URL says)."
            )
        started = time.monotonic()
        try:
            made = history_record()
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        if made is None:
            self.stdout.write("The demo history is already in this database: nothing added.")
            return
        self.stdout.write(f"{made} ({time.monotonic() - started:.1f} s)")
