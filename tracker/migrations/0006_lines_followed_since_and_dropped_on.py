"""When a line counts in reports "as of" a date (tracker.reports.asof).

- followed_since: lines from the catalogue get the date of the hearings (the report's
  own, from reference.yaml); lines a coordinator added get the day they were added (UTC).
- dropped_on: a line from the catalogue whose actor is no longer addressed gets the day
  the audit log recorded that change, or, where the log has none, the day of this
  migration (the line then counts in every report up to today, as it was addressed).
"""

import datetime

from django.db import migrations, models
from django.utils import timezone

HEARINGS_DATE = datetime.date(2013, 7, 15)
LATEST_DATE = datetime.date(2100, 12, 31)


def _dropped_days(apps, line_ids) -> dict[int, datetime.date]:
    """{line id: day the audit log saw `addressed` turn false}, for the lines given."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    kind = ContentType.objects.filter(app_label="tracker", model="followupline").first()
    if kind is None:
        return {}
    found = {}
    entries = LogEntry.objects.filter(
        content_type=kind, object_pk__in=[str(pk) for pk in line_ids]
    ).order_by("timestamp")
    for entry in entries:
        change = (entry.changes or {}).get("addressed")
        if isinstance(change, list) and len(change) == 2 and str(change[1]) == "False":
            found[int(entry.object_pk)] = entry.timestamp.astimezone(datetime.UTC).date()
    return found


def set_dates(apps, schema_editor):
    FollowUpLine = apps.get_model("tracker", "FollowUpLine")
    Report = apps.get_model("hearings", "Report")
    hearing_date = (
        Report.objects.order_by("pk").values_list("hearing_date", flat=True).first()
        or HEARINGS_DATE
    )
    FollowUpLine.objects.filter(added_by__isnull=True).update(followed_since=hearing_date)
    for line in FollowUpLine.objects.filter(added_by__isnull=False).only("pk", "created_at"):
        day = max(line.created_at.astimezone(datetime.UTC).date(), HEARINGS_DATE)
        FollowUpLine.objects.filter(pk=line.pk).update(followed_since=day)
    dropped = list(
        FollowUpLine.objects.filter(addressed=False, added_by__isnull=True).values_list(
            "pk", flat=True
        )
    )
    days = _dropped_days(apps, dropped)
    today = timezone.now().astimezone(datetime.UTC).date()
    for pk in dropped:
        FollowUpLine.objects.filter(pk=pk).update(dropped_on=days.get(pk, today))


def check_foreign_keys_now(apps, schema_editor):
    """PostgreSQL refuses to ALTER a table with deferred foreign-key checks pending from
    the updates above (same transaction): run them now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_dates_in_range"),
        ("hearings", "0002_recommendation_search_index"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="followupline",
            name="dropped_on",
            field=models.DateField(
                blank=True,
                help_text=(
                    "The day the catalogue stopped addressing this actor: the line leaves "
                    "reports from then on (a line added by a coordinator stays)."
                ),
                null=True,
                verbose_name="no longer addressed since",
            ),
        ),
        migrations.AddField(
            model_name="followupline",
            name="followed_since",
            field=models.DateField(
                default=HEARINGS_DATE,
                help_text=(
                    "The line counts in reports from this date, or from its first update in "
                    "effect if that is earlier: the hearings for lines from the catalogue; the "
                    "day it was added, or an earlier date given then, for lines added by a "
                    "coordinator."
                ),
                verbose_name="followed since",
            ),
        ),
        migrations.RunPython(set_dates, migrations.RunPython.noop),
        migrations.RunPython(check_foreign_keys_now, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="followupline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    followed_since__gte=HEARINGS_DATE, followed_since__lte=LATEST_DATE
                ),
                name="tracker_line_followed_since_in_range",
            ),
        ),
    ]
