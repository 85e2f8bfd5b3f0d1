"""The export page: the list's filters plus format, date, grouping and history. Large PDF
and Word reports are made in the background (tracker.reports.background): the page asks
to start one (a POST), then the job's page follows it."""

import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from tracker.jobs.selectors import recent_jobs

from . import background, tables, writing
from .forms import ExportForm
from .languages import in_language
from .options import (
    CONTENT_TYPES,
    EXPORT_FILTERS,
    ExportOptions,
    ExportRefused,
    check,
    describe_filters,
    max_recommendations,
    recommendation_filter,
)


def _download(options: ExportOptions):
    """The file: CSV streamed as it is read; the others written to a temporary file."""
    filename = options.filename()
    if options.format == "csv":
        response = StreamingHttpResponse(
            in_language(options.language, tables.csv_chunks(options)),
            content_type=CONTENT_TYPES["csv"],
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    writing.write(options, out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES[options.format],
    )


def _requested(request, data):
    """The export form and filter on `data`, and the options if both are valid."""
    filterset = recommendation_filter(data, request=request)
    form = ExportForm(data)
    if not (form.is_valid() and filterset.is_valid()):
        return form, filterset, None
    options = ExportOptions.from_filter(
        filterset,
        as_of=form.cleaned_data["as_of"],
        format=form.cleaned_data["format"],
        grouping=form.cleaned_data["grouping"],
        history=form.cleaned_data["history"],
        language=form.cleaned_data["language"],
        generated_by=request.user.get_full_name() or request.user.get_username(),
    )
    return form, filterset, options


def _background_count(options: ExportOptions) -> int | None:
    """How many recommendations a report that would run in the background covers."""
    if options.format not in background.BACKGROUND_FORMATS:
        return None
    count = options.recommendations.count()
    return count if background.in_background(options, count) else None


@require_GET
@login_required
def export(request):
    """Any logged-in user may export what they can read; `download` asks for the file."""
    downloading = "download" in request.GET
    if downloading:
        form, filterset, options = _requested(request, request.GET)
    else:
        form, options = ExportForm(), None
        filterset = recommendation_filter(request.GET, request=request)
    refused = None
    status = 200
    background_count = None
    if options is not None:
        try:
            check(options, capped=True)
        except ExportRefused as refusal:
            refused = str(refusal)
        else:
            background_count = _background_count(options)
            if background_count is None:
                return _download(options)
    if downloading and background_count is None:
        status = 400
    count, filters = None, []
    if filterset.is_valid():
        count, filters = filterset.qs.count(), describe_filters(filterset)[0]
    query = request.GET.copy()
    for key in ("format", "as_of", "grouping", "history", "language", "download", "page", "kind",
                "sort"):  # fmt: skip
        query.pop(key, None)
    return render(
        request,
        "tracker/reports/export_form.html",
        {
            "form": form,
            "filter": filterset,
            "filter_fields": [filterset.form[name] for name in EXPORT_FILTERS],
            "count": count,
            "filters": filters,
            "refused": refused,
            "list_query": query.urlencode(),
            "max_recommendations": max_recommendations(),
            "background_count": background_count,
            "recent_jobs": recent_jobs(request.user, "report"),
            "background_query": request.GET.urlencode() if background_count else "",
            "job_days": settings.JOB_RESULT_DAYS,
        },
        status=status,
    )


@require_POST
@login_required
def export_background(request):
    """Start the report the export page offered to make in the background (its query
    string, checked again), then follow it on the job's page."""
    data = QueryDict(request.POST.get("query", ""))
    _form, _filterset, options = _requested(request, data)
    if options is None:
        return redirect_to_form(data)
    try:
        check(options, capped=True)
    except ExportRefused:
        return redirect_to_form(data)
    filter_query = data.copy()
    for key in ("format", "as_of", "grouping", "history", "language", "download"):
        filter_query.pop(key, None)
    job = background.report_job_start(
        options=options,
        filter_query=filter_query.urlencode(),
        requester=request.user,
        count=options.recommendations.count(),
    )
    return redirect("job", job.pk)


def redirect_to_form(data: QueryDict):
    """Back to the export page with the same query, which says what is wrong."""
    response = redirect("export")
    response["Location"] += "?" + data.urlencode()
    return response
