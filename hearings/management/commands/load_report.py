from django.core.management.base import BaseCommand, CommandError

from hearings.catalogue import CatalogueError
from hearings.loading import load_report
from hearings.report_text import ReportFormatError


class Command(BaseCommand):
    help = (
        "Load the 2013 hearings report and its catalogue of recommendations from "
        "hearings/data/ (or --data-dir). Validates everything first and writes in one "
        "transaction; an unchanged reload writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            help="Folder holding the report text, reference.yaml, actors.yaml and catalogue.yaml.",
        )
        parser.add_argument(
            "--translations-dir",
            help="Folder of the names in the other languages (default: locale/content).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report what would change, then roll back.",
        )

    def handle(self, *args, data_dir=None, dry_run=False, translations_dir=None, **options):
        try:
            result = load_report(data_dir, dry_run=dry_run, translations_dir=translations_dir)
        except ReportFormatError as exc:
            raise CommandError(
                f"The report file is not usable, nothing was written: {exc}"
            ) from exc
        except CatalogueError as exc:
            lines = "\n  ".join(exc.errors)
            raise CommandError(
                f"The catalogue has {len(exc.errors)} problem(s), nothing was written:\n  {lines}"
            ) from exc

        counts = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        self.stdout.write(f"Report and catalogue read: {counts}.")
        prefix = "Would have " if dry_run else ""

        def say(text):
            return prefix + text if dry_run else text[0].upper() + text[1:]

        if not result.changed:
            self.stdout.write(self.style.SUCCESS("Already up to date: nothing written."))
        for label, figures in (("created", result.created), ("updated", result.updated)):
            if figures:
                detail = ", ".join(
                    f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in figures.items()
                )
                self.stdout.write(self.style.SUCCESS(say(f"{label}: {detail}.")))
        if result.withdrawn_codes:
            self.stdout.write(
                self.style.WARNING(
                    say("withdrawn (no longer in the file, kept with their history): ")
                    + ", ".join(result.withdrawn_codes)
                )
            )
        if result.restored_codes:
            self.stdout.write(say("restored to the catalogue: ") + ", ".join(result.restored_codes))
        for conflict in result.conflicts:
            self.stdout.write(self.style.WARNING(f"Conflict: {conflict}"))
        if dry_run:
            self.stdout.write("Dry run: rolled back, nothing written.")
