"""The export page: the list's filters plus format, date, grouping and history."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from . import tables, writing
from .forms import ExportForm
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
            tables.csv_chunks(options), content_type=CONTENT_TYPES["csv"]
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


@require_GET
@login_required
def export(request):
    """Any logged-in user may export what they can read; `download` asks for the file."""
    filterset = recommendation_filter(request.GET, request=request)
    downloading = "download" in request.GET
    form = ExportForm(request.GET if downloading else None)
    refused = None
    status = 200
    if downloading:
        if form.is_valid() and filterset.is_valid():
            options = ExportOptions.from_filter(
                filterset,
                as_of=form.cleaned_data["as_of"],
                format=form.cleaned_data["format"],
                grouping=form.cleaned_data["grouping"],
                history=form.cleaned_data["history"],
                generated_by=request.user.get_full_name() or request.user.get_username(),
            )
            try:
                check(options, capped=True)
            except ExportRefused as refusal:
                refused = str(refusal)
            else:
                return _download(options)
        status = 400
    count, filters = None, []
    if filterset.is_valid():
        count, filters = filterset.qs.count(), describe_filters(filterset)[0]
    query = request.GET.copy()
    for key in ("format", "as_of", "grouping", "history", "download", "page", "kind", "sort"):
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
        },
        status=status,
    )
