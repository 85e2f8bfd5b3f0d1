"""The append-only trigger of migration 0003, for migrations that rebuild the status updates'
table on SQLite (adding or removing a constraint there copies the table, without its
triggers). Not a migration itself: the loader skips modules whose names start with _."""

import importlib

TRIGGER = importlib.import_module("tracker.migrations.0003_status_updates_are_append_only")


def create_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    forward, backward = TRIGGER.SQL["sqlite"]
    schema_editor.execute(backward)
    schema_editor.execute(forward)
