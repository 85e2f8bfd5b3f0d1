"""manage.py restore FILE: replace the database's content (and the evidence files) with a
backup.

The command line only; the rules are tracker.ops.backups'. Asks first unless --no-input."""

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from tracker.ops import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the database, replacing its "
        "content (PostgreSQL: pg_restore --clean, in one transaction; SQLite: the online "
        "backup API). Stop the app first; run `manage.py migrate` after."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive",
            help="do not ask for confirmation",
        )  # fmt: skip

    def handle(self, *args, **opts):
        connection = connections[opts["database"]]
        try:
            kind = backups.restorable(opts["file"], connection=connection)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        name = connection.settings_dict.get("NAME")
        if opts["interactive"]:
            answer = input(
                f"This replaces everything in the {backups.KINDS[kind][0]} database {name} "
                f"with {opts['file']}. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
        try:
            files = backups.restore(opts["file"], connection=connection)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        # The public pages' cache is keyed on the public version, which now counts on from
        # the backup's: pages cached since the backup was made would match again.
        cache.clear()
        self.stdout.write(
            f"Restored the {backups.KINDS[kind][0]} backup {opts['file']} into {name}, and "
            f"{files:,} evidence files."
        )
