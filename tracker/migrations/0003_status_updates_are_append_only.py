"""Status updates are append-only in the database too: an UPDATE is refused by a trigger.

The model refuses save() on an existing row and delete(); this also stops queryset
.update() and raw SQL. (Row deletion stays guarded in the model and by PROTECT foreign
keys: a DELETE trigger would also block the test runner's flush on SQLite.)
"""

from django.db import migrations

MESSAGE = "status updates are append-only: record a correction instead"

SQL = {
    "postgresql": (
        f"""
        CREATE OR REPLACE FUNCTION tracker_statusupdate_refuse_update() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END;
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER tracker_statusupdate_append_only BEFORE UPDATE ON tracker_statusupdate
        FOR EACH ROW EXECUTE FUNCTION tracker_statusupdate_refuse_update();
        """,
        """
        DROP TRIGGER IF EXISTS tracker_statusupdate_append_only ON tracker_statusupdate;
        DROP FUNCTION IF EXISTS tracker_statusupdate_refuse_update();
        """,
    ),
    "sqlite": (
        f"""
        CREATE TRIGGER tracker_statusupdate_append_only BEFORE UPDATE ON tracker_statusupdate
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
        """,
        "DROP TRIGGER IF EXISTS tracker_statusupdate_append_only;",
    ),
}


def create_trigger(apps, schema_editor):
    forward, _backward = SQL.get(schema_editor.connection.vendor, ("", ""))
    if forward:
        schema_editor.execute(forward)


def drop_trigger(apps, schema_editor):
    _forward, backward = SQL.get(schema_editor.connection.vendor, ("", ""))
    if backward:
        schema_editor.execute(backward)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0002_profile_time_zone_followupline_and_more")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
