"""Full-text search over recommendations on PostgreSQL (the list's search box).

The index expression is exactly what SearchVector("title", "text", config="english")
produces, so the planner uses it; SQLite has no such index and searches with LIKE.
"""

from django.db import migrations

INDEX = "hearings_recommendation_search"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON hearings_recommendation USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(text, '')))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("hearings", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
