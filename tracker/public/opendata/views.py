"""/data/: the index page, the data package and each resource as CSV or JSON. Every view is
served through tracker.public.serving.public_view (the switch, GET only, the ETag and
304, the shared cache, the throttle); downloads stream and are revalidated, not cached.

Pages render without the request's context processors, so nothing of a visitor's session
or account is read or shown, and the cached page is the same for everyone.
"""

import functools

from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from hearings.models import GcmObjective, Report, Theme
from hearings.translation import columns
from tracker.links import absolute_url
from tracker.notice import DEMO_NOTICE, is_demo
from tracker.public.serving import public_view
from tracker.reports.asof import AS_OF_RULE

from . import package
from .dates import BadDate, as_of_from
from .encoding import WRITERS
from .resources import FORMATS, RESOURCES
from .rows import ROWS


def open_to_every_origin(view):
    """Open data may be read by scripts on any site (CORS): nothing here is private and
    no credentials are ever read. Outside public_view, so that 304s and cached answers
    carry it too."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _bad_date(error: BadDate) -> HttpResponse:
    return HttpResponse(f"{error}\n", status=400, content_type="text/plain; charset=utf-8")


@public_view
def index(request):
    error, status = "", 200
    try:
        as_of = as_of_from(request.GET)
    except BadDate as bad:
        as_of, error, status = None, str(bad), 400
    target_dates = request.public_site.target_dates_public
    resources = [
        {
            "resource": resource,
            "fields": resource.fields_for(target_dates=target_dates),
            "csv": package.download_url(resource.name, "csv", as_of if resource.dated else None),
            "json": package.download_url(resource.name, "json", as_of if resource.dated else None),
        }
        for resource in RESOURCES.values()
    ]
    datapackage = absolute_url(reverse("opendata:datapackage"))
    if as_of is not None:
        datapackage += f"?as_of={as_of.isoformat()}"
    context = {
        "resources": resources,
        "as_of": as_of,
        "error": error,
        "licence": package.licence(),
        "datapackage": datapackage,
        "home": absolute_url(reverse("opendata:index")),
        "themes": Theme.objects.order_by("number").only("key", *columns("title")),
        "objectives": GcmObjective.objects.order_by("number").only(
            "key", "number", *columns("title")
        ),
        "target_dates": target_dates,
        "as_of_rule": AS_OF_RULE,
        "demo_notice": DEMO_NOTICE if is_demo() else "",
        # What the public pages' base template reads (the public site, tracker/public/).
        "current_section": "data",
        "meta": {
            "title": _("Open data"),
            "description": _(
                "The recommendations of the 2013 hearings and their public follow-up as CSV "
                "and JSON files, a data package and Atom feeds."
            ),
            "canonical": absolute_url(reverse("opendata:index")) if status == 200 else "",
            "type": "website",
        },
    }
    html = render_to_string("tracker/public/data/index.html", context)
    return HttpResponse(html, status=status)


@open_to_every_origin
@public_view
def datapackage(request):
    try:
        as_of = as_of_from(request.GET)
    except BadDate as bad:
        return _bad_date(bad)
    described = package.descriptor(
        as_of=as_of,
        target_dates=request.public_site.target_dates_public,
        report=Report.objects.order_by("pk").first(),
    )
    return JsonResponse(described, json_dumps_params={"indent": 2, "ensure_ascii": False})


@open_to_every_origin
@public_view
def download(request, name, fmt):
    resource = RESOURCES.get(name)
    if resource is None:
        raise Http404(_("No such resource."))
    try:
        as_of = as_of_from(request.GET)
    except BadDate as bad:
        return _bad_date(bad)
    target_dates = request.public_site.target_dates_public
    rows = ROWS[name](as_of if resource.dated else None, target_dates)
    chunks = WRITERS[fmt](resource.fields_for(target_dates=target_dates), rows)
    response = StreamingHttpResponse(chunks, content_type=FORMATS[fmt])
    dated = f"-as-of-{as_of.isoformat()}" if as_of is not None and resource.dated else ""
    response["Content-Disposition"] = f'attachment; filename="{name}{dated}.{fmt}"'
    return response
