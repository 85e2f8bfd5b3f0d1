"""PDF and Word progress reports beyond BACKGROUND_REPORT_MIN_RECOMMENDATIONS, made by a
background job (tracker.jobs). The job keeps the export's options and the list's filters
as a query string; the worker rebuilds the same selection (as the requester, for "mine"),
writes the file through tracker.reports.writing and stores it for its requester."""

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from tracker.jobs.engine import task
from tracker.jobs.running import JobFailed, JobRun, run_job
from tracker.jobs.services import job_start

from . import writing
from .document import date_text
from .options import (
    CONTENT_TYPES,
    FORMATS,
    ExportOptions,
    ExportRefused,
    check,
    recommendation_filter,
)

BACKGROUND_FORMATS = ("pdf", "docx")


def in_background(options: ExportOptions, count: int) -> bool:
    """A PDF or Word report of more recommendations than is quick to make on the page."""
    return (
        options.format in BACKGROUND_FORMATS
        and count > settings.BACKGROUND_REPORT_MIN_RECOMMENDATIONS
    )


def report_job_start(*, options: ExportOptions, filter_query: str, requester, count: int):
    """A job making this report for `requester`; `filter_query` is the list's filters."""
    title = _("%(format)s as of %(date)s (%(n)s recommendations)") % {
        "format": FORMATS[options.format],
        "date": date_text(options.as_of),
        "n": count,
    }
    return job_start(
        task=progress_report_make,
        kind="report",
        title=title,
        requester=requester,
        parameters={
            "format": options.format,
            "as_of": options.as_of.isoformat(),
            "grouping": options.grouping,
            "history": options.history,
            "language": options.language,
            "generated_by": options.generated_by,
            "filters": filter_query,
        },
    )


def _options(job: JobRun) -> ExportOptions:
    wanted = job.parameters
    filterset = recommendation_filter(
        QueryDict(wanted["filters"]), request=SimpleNamespace(user=job.job.requester)
    )
    if not filterset.is_valid():  # e.g. an actor or theme gone since the request
        raise JobFailed(
            _("The report's filters are no longer valid (%(errors)s): export it again.")
            % {"errors": "; ".join(" ".join(e) for e in filterset.errors.values())}
        )
    return ExportOptions.from_filter(
        filterset,
        as_of=datetime.date.fromisoformat(wanted["as_of"]),
        format=wanted["format"],
        grouping=wanted["grouping"],
        history=wanted["history"],
        # Jobs started before reports had a language were in the default one.
        language=wanted.get("language", settings.LANGUAGE_CODE),
        generated_by=wanted["generated_by"],
    )


def _make(job: JobRun) -> None:
    """The report, and the job's steps and errors, in the language it was asked in."""
    with translation.override(job.parameters.get("language", settings.LANGUAGE_CODE)):
        options = _options(job)
        try:
            check(options, capped=True)
        except ExportRefused as refusal:
            raise JobFailed(str(refusal)) from refusal
    job.finish_with_file(
        lambda out: writing.write(options, out, progress=job.progress),
        options.filename(),
        CONTENT_TYPES[options.format],
    )


@task()
def progress_report_make(job_id: int) -> None:
    """The Tasks API task: the report of job `job_id`, as its requester asked for it."""
    run_job(job_id, _make)
