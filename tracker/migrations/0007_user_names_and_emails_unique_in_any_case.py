"""User names, and e-mail addresses where given, are unique without regard to case, kept by
the database: unique indexes on the lower-cased values (the e-mail one only where it is not
blank). Accounts that already clash are listed and the migration stops, changing nothing:
a person decides which to rename or deactivate; nothing is merged."""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower

INDEXES = {
    "tracker_user_username_ci": "(LOWER(username))",
    "tracker_user_email_ci": "(LOWER(email)) WHERE email <> ''",
}


def _clashes(User, field, values):
    rows = (
        values.annotate(folded=Lower(field))
        .values("folded")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("folded", flat=True)
    )
    clashes = []
    for folded in rows:
        names = User.objects.annotate(folded=Lower(field)).filter(folded=folded)
        listed = ", ".join(f"{u.username} (id {u.pk})" for u in names.order_by("pk"))
        clashes.append(f"{field} {folded!r}: {listed}")
    return clashes


def create_indexes(apps, schema_editor):
    User = apps.get_model("auth", "User")
    clashes = _clashes(User, "username", User.objects.all()) + _clashes(
        User, "email", User.objects.exclude(email="")
    )
    if clashes:
        raise RuntimeError(
            "These accounts have the same user name or e-mail address in another case. "
            "Rename them or change their e-mail addresses (in the admin), then migrate "
            "again; nothing was changed.\n  " + "\n  ".join(clashes)
        )
    table = schema_editor.quote_name(User._meta.db_table)
    for name, expression in INDEXES.items():
        columns, _, where = expression.partition(" WHERE ")
        sql = f"CREATE UNIQUE INDEX {name} ON {table} {columns}"
        schema_editor.execute(sql + (f" WHERE {where}" if where else ""))


def drop_indexes(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0006_lines_followed_since_and_dropped_on"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
