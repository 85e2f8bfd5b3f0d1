"""manage.py backup [-o FILE]: back up the database (PostgreSQL or SQLite) and the evidence
files, in one archive.

The command line only; the rules are tracker.ops.backups'."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from tracker.ops import archive, backups


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL with pg_dump, custom format; SQLite with its online "
        "backup API) and the evidence files, in one tar archive. Default file: "
        "backups/hearings-<vendor>-<UTC time>.tar."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="file to write (never overwritten)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args, **opts):
        connection = connections[opts["database"]]
        try:
            path = backups.backup(opts["output"], connection=connection)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        name = backups.KINDS[connection.vendor][0]
        manifest = archive.manifest(path)
        self.stdout.write(
            f"Backed up the {name} database and {manifest['evidence_files']:,} evidence files "
            f"to {path} ({path.stat().st_size:,} bytes)."
        )
        for missing in manifest["missing_evidence_files"]:
            self.stderr.write(f"Warning: evidence file {missing} is missing from the file store.")
