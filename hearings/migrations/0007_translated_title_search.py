"""Full-text search of recommendations by their title in the reader's language.

PostgreSQL: one GIN index per language on exactly what
SearchVector("title_<lang>", config=<lang's configuration>) produces (tracker.search),
so the search's extra OR on the translated title is read from an index, as the English
title and text are from 0002's. Chinese has no stemmer in PostgreSQL: "simple".

SQLite: one FTS5 index of the five translated title columns (external content, kept
current by triggers like 0003's), searched with a column filter (`title_fr : "mot"`).
No stemming there (porter is English); diacritics are ignored.
"""

from django.db import migrations

CONFIGS = {
    "ar": "arabic",
    "zh_hans": "simple",
    "fr": "french",
    "ru": "russian",
    "es": "spanish",
}
COLUMNS = [f"title_{suffix}" for suffix in CONFIGS]
TABLE = "hearings_recommendation_title_fts"
LISTED = ", ".join(COLUMNS)
NEW = ", ".join(f"new.{c}" for c in COLUMNS)
OLD = ", ".join(f"old.{c}" for c in COLUMNS)
SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(
        {LISTED}, content='hearings_recommendation', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON hearings_recommendation
        BEGIN INSERT INTO {TABLE}(rowid, {LISTED}) VALUES (new.id, {NEW}); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON hearings_recommendation
        BEGIN INSERT INTO {TABLE}({TABLE}, rowid, {LISTED}) VALUES ('delete', old.id, {OLD});
        END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF {LISTED}
        ON hearings_recommendation
        BEGIN INSERT INTO {TABLE}({TABLE}, rowid, {LISTED}) VALUES ('delete', old.id, {OLD});
        INSERT INTO {TABLE}(rowid, {LISTED}) VALUES (new.id, {NEW}); END""",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for suffix, config in CONFIGS.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS hearings_rec_search_{suffix} "
                f"ON hearings_recommendation USING gin "
                f"(to_tsvector('{config}'::regconfig, COALESCE(title_{suffix}, '')))"
            )
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for suffix in CONFIGS:
            schema_editor.execute(f"DROP INDEX IF EXISTS hearings_rec_search_{suffix}")
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("hearings", "0006_content_translations")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
