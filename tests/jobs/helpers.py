"""Making jobs in tests: an import previewed as the page keeps it, a report job, and the
queued tasks run in this process (through the Tasks API's own dispatch by name)."""

import datetime

from django.http import QueryDict

from tests.imports.test_imports import build_csv, new_cells, sheet_rows
from tracker.imports import background as import_background
from tracker.imports import checking, reading
from tracker.reports import background as report_background
from tracker.reports.options import ExportOptions, recommendation_filter

AS_OF = datetime.date(2014, 10, 3)


def pending_import(user, lines, note="Work has begun.") -> dict:
    """What the import page keeps in the session between the preview and confirming."""
    data = build_csv(sheet_rows(lines, {line.pk: new_cells(note=note) for line in lines}))
    table = reading.table_read("follow-up.csv", data)
    check = checking.status_updates_check(user=user, rows=table.rows, columns=table.columns)
    assert check.can_apply, check.errors
    return {
        "filename": "follow-up.csv",
        "sha256": reading.sha256(data),
        "columns": table.columns,
        "rows": [row.to_json() for row in table.rows],
        "unchanged": table.blank,
    }


def import_job(user, lines, **kwargs):
    return import_background.import_job_start(
        requester=user, pending=pending_import(user, lines, **kwargs)
    )


def report_job(user, fmt="docx", query=""):
    filterset = recommendation_filter(QueryDict(query))
    assert filterset.is_valid()
    options = ExportOptions.from_filter(filterset, as_of=AS_OF, format=fmt, generated_by="T")
    return report_background.report_job_start(
        options=options,
        filter_query=query,
        requester=user,
        count=options.recommendations.count(),
    )


def run_queued() -> int:
    """Run the database backend's ready tasks here, as its worker would (by their path)."""
    from django_tasks_db.models import DBTaskResult

    ran = 0
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        result.delete()
        ran += 1
    return ran
