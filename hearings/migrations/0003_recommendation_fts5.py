"""Full-text search over recommendations on SQLite: an FTS5 index of title and text, kept
current by triggers, so the list's search takes the same syntax on SQLite as on
PostgreSQL (tracker.search). PostgreSQL has its GIN index (0002); nothing to do there.

The index is an external-content FTS5 table (it stores no second copy of the texts).
Caution for later migrations: rebuilding hearings_recommendation on SQLite (an AlterField
there copies the table) drops these triggers; create them again in that migration
(tests/test_search.py checks that the index follows every change).
"""

from django.db import migrations

TABLE = "hearings_recommendation_fts"
CREATE = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(
        title, text, content='hearings_recommendation', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON hearings_recommendation
        BEGIN INSERT INTO {TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON hearings_recommendation
        BEGIN INSERT INTO {TABLE}({TABLE}, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE ON hearings_recommendation
        BEGIN INSERT INTO {TABLE}({TABLE}, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO {TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text); END""",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("hearings", "0002_recommendation_search_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
