"""Evidence files are append-only in the database too: an UPDATE is refused by a trigger,
except the one a withdrawal makes (from not withdrawn to withdrawn, nothing else changed).

As for status updates (tracker 0003), row deletion stays guarded by the model and by
PROTECT foreign keys: a DELETE trigger would also block the test runner's flush on SQLite.
A later migration that rebuilds this table on SQLite (adding or removing a constraint
copies it, without its triggers) must create the trigger again.
"""

from django.db import migrations

MESSAGE = "evidence files are append-only: withdraw one instead"
# Columns no UPDATE may change.
FIXED = ["id", "update_id", "key", "stored_name", "original_name", "size", "kind", "sha256",
         "scan"]  # fmt: skip


def _unchanged(distinct: str) -> str:
    return " AND ".join(f"NEW.{c} {distinct} OLD.{c}" for c in FIXED)


# A withdrawal: not withdrawn before, withdrawn after, every other column as it was.
POSTGRESQL_ALLOWED = (
    f"OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL "
    f"AND {_unchanged('IS NOT DISTINCT FROM')}"
)
SQLITE_ALLOWED = f"OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL AND {_unchanged('IS')}"

SQL = {
    "postgresql": (
        f"""
        CREATE OR REPLACE FUNCTION evidence_file_refuse_update() RETURNS trigger AS $$
        BEGIN
            IF {POSTGRESQL_ALLOWED} THEN RETURN NEW; END IF;
            RAISE EXCEPTION '{MESSAGE}';
        END;
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER evidence_file_append_only BEFORE UPDATE ON evidence_evidencefile
        FOR EACH ROW EXECUTE FUNCTION evidence_file_refuse_update();
        """,
        """
        DROP TRIGGER IF EXISTS evidence_file_append_only ON evidence_evidencefile;
        DROP FUNCTION IF EXISTS evidence_file_refuse_update();
        """,
    ),
    "sqlite": (
        f"""
        CREATE TRIGGER evidence_file_append_only BEFORE UPDATE ON evidence_evidencefile
        WHEN NOT ({SQLITE_ALLOWED})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
        """,
        "DROP TRIGGER IF EXISTS evidence_file_append_only;",
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
    dependencies = [("evidence", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
