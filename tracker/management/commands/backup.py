"""manage.py backup [-o FILE]: back up the database (PostgreSQL or SQLite).

The command line only; the rules are tracker.ops.backups'."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from tracker.ops import backups


class Command(BaseCommand):
    help = (
        "Back up the database: PostgreSQL with pg_dump (custom format), SQLite with its "
        "online backup API. Default file: backups/hearings-<vendor>-<UTC time>.<dump|sqlite3>."
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
        self.stdout.write(
            f"Backed up the {name} database to {path} ({path.stat().st_size:,} bytes)."
        )
