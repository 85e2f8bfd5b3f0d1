"""Dates in a range that makes sense, kept by the database: a line's target date between
2013 and 2100 (or none), a status update's effective date from the hearings (15 July
2013) to 2100.

Stored values out of range are reported first: the migration stops and lists them, and
changes nothing, so that a person corrects them (nothing is guessed). On SQLite adding a
constraint rebuilds the table, which drops its triggers: the append-only trigger of
0003 is created again after.
"""

import datetime

from django.db import migrations, models

from . import _append_only

EARLIEST_TARGET_DATE = datetime.date(2013, 1, 1)
HEARINGS_DATE = datetime.date(2013, 7, 15)
LATEST_DATE = datetime.date(2100, 12, 31)


def report_dates_out_of_range(apps, schema_editor):
    FollowUpLine = apps.get_model("tracker", "FollowUpLine")
    StatusUpdate = apps.get_model("tracker", "StatusUpdate")
    lines = FollowUpLine.objects.filter(target_date__isnull=False).exclude(
        target_date__range=(EARLIEST_TARGET_DATE, LATEST_DATE)
    )
    updates = StatusUpdate.objects.exclude(effective_date__range=(HEARINGS_DATE, LATEST_DATE))
    found = [
        f"follow-up line {pk}: target date {date}"
        for pk, date in lines.values_list("pk", "target_date")[:50]
    ] + [
        f"status update {pk}: effective date {date}"
        for pk, date in updates.values_list("pk", "effective_date")[:50]
    ]
    if found:
        raise RuntimeError(
            "Dates out of range are stored; correct them (a target date between 2013-01-01 "
            "and 2100-12-31 or none; an effective date from 2013-07-15 to 2100-12-31, by a "
            "correcting update), then migrate again. Nothing was changed.\n  " + "\n  ".join(found)
        )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0004_dashboard_indexes")]

    operations = [
        # Backwards, the constraints' removal rebuilds the table on SQLite: the trigger
        # comes back here, last.
        migrations.RunPython(report_dates_out_of_range, _append_only.create_on_sqlite),
        migrations.AddConstraint(
            model_name="followupline",
            constraint=models.CheckConstraint(
                condition=models.Q(target_date__isnull=True)
                | models.Q(target_date__gte=EARLIEST_TARGET_DATE, target_date__lte=LATEST_DATE),
                name="tracker_line_target_date_in_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="statusupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    effective_date__gte=HEARINGS_DATE, effective_date__lte=LATEST_DATE
                ),
                name="tracker_update_effective_date_in_range",
            ),
        ),
        migrations.RunPython(_append_only.create_on_sqlite, migrations.RunPython.noop),
    ]
