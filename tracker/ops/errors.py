"""The 500 page, with the request's id for the user to quote to support."""

from django.http import HttpResponseServerError
from django.template import loader

from .access import current_request_id


def server_error(request, template_name="500.html"):
    """Django's own 500 view plus the request id; renders without the database, the
    session or context processors, any of which may be what failed."""
    request_id = getattr(request, "request_id", None) or current_request_id()
    template = loader.get_template(template_name)
    return HttpResponseServerError(template.render({"request_id": request_id}))
