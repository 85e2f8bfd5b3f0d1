"""Check the dashboard's figures against the rows, or count them afresh."""

from django.core.management.base import BaseCommand, CommandError

from tracker import services, tallies


class Command(BaseCommand):
    help = (
        "Compare the dashboard's figures (tracker.tallies) with a fresh count of the lines "
        "and recommendations; with --recount, count them afresh (after rows were written "
        "outside the app, e.g. a bulk SQL load). Run --recount while nobody records."
    )

    def add_arguments(self, parser):
        parser.add_argument("--recount", action="store_true", help="count every figure afresh")

    def handle(self, *args, recount=False, **options):
        if recount:
            services.figures_recount()
            self.stdout.write("Every figure counted afresh.")
            return
        kept, fresh = tallies.figures(), tallies.expected()
        wrong = sorted(key for key in kept.keys() | fresh.keys() if kept.get(key) != fresh.get(key))
        if wrong:
            for figure, key, status in wrong[:20]:
                self.stderr.write(
                    f"{figure} {key} {status}: kept {kept.get((figure, key, status), 0)}, "
                    f"counted {fresh.get((figure, key, status), 0)}"
                )
            raise CommandError(
                f"{len(wrong)} figures differ from the rows; run with --recount to repair them."
            )
        self.stdout.write(f"All {len(kept)} figures agree with the rows.")
