"""Confirming an import of more than BACKGROUND_IMPORT_MIN_ROWS changes, as a background
job (tracker.jobs): the rows kept for confirming become the job's parameters; the worker
applies them as tracker.imports.applying does on the page, in one transaction with the
job marked done, so the import is recorded if and only if the job is done. A worker
killed half-way leaves nothing: the database rolls the transaction back."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.jobs.engine import task
from tracker.jobs.running import JobFailed, JobRun, run_job
from tracker.jobs.services import job_start

from . import applying
from .checking import ImportRejected
from .reading import ImportRow

# What an import job keeps once it has ended (its rows are in the history, or refused).
KEPT = ("filename", "sha256", "unchanged")


def import_job_start(*, requester, pending: dict):
    """A job confirming the previewed import `pending` (the session's) for `requester`."""
    n = len(pending["rows"])
    title = ngettext(
        "Import of %(file)s: %(n)s status update",
        "Import of %(file)s: %(n)s status updates",
        n,
    ) % {"file": pending["filename"], "n": n}
    return job_start(
        task=status_updates_import_job,
        kind="import",
        title=title,
        requester=requester,
        parameters={key: pending[key] for key in ("rows", "columns", *KEPT)},
        result_view="import-job",
    )


def _apply(job: JobRun) -> None:
    wanted = job.parameters
    kept = {key: wanted[key] for key in KEPT}
    rows = [ImportRow.from_json(data) for data in wanted["rows"]]
    step = ngettext(
        "Recording %(n)s status update", "Recording %(n)s status updates", len(rows)
    ) % {"n": len(rows)}
    job.progress(
        ngettext("Checking %(n)s row again", "Checking %(n)s rows again", len(rows))
        % {"n": len(rows)},
        2,
    )
    try:
        with transaction.atomic():
            check = applying.status_updates_import(
                user=job.job.requester,
                rows=rows,
                columns=wanted["columns"],
                progress=lambda done, total: job.progress(step, 5 + 94 * done / total),
            )
            job.finish(result={"recorded": len(check.changes)}, parameters=kept)
    except ImportRejected as rejected:
        errors = [
            {"row": e.row, "column": e.column, "message": str(e.message), "letter": e.letter}
            for e in rejected.check.errors
        ]
        raise JobFailed(
            _(
                "Nothing was recorded: some rows are no longer valid (for example, a line "
                "was updated by someone else since the preview). Correct them, or export "
                "again, and upload the file again."
            ),
            result={"errors": errors},
            parameters=kept,
        ) from rejected


@task()
def status_updates_import_job(job_id: int) -> None:
    """The Tasks API task: the import of job `job_id`, in its requester's name."""
    run_job(job_id, _apply)
