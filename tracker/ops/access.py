"""Request ids and the access log.

Every request gets an id: the incoming `X-Request-ID` when it is sane (1-100 letters,
digits, dots, dashes, underscores, colons), else a new random one. It is sent back as
`X-Request-ID`, stamped on every log line made while the request is handled, until its
response is closed (a context variable, read by tracker.ops.logs.RequestIdFilter), and
shown on the 500 page.

One access line per request (logger `tracker.access`, INFO): method, path without the
query string, status, duration in milliseconds (until the response is returned: a
streamed export's body is sent after) and the user's id when the request looked the user
up (the line never makes a query of its own).
"""

import contextvars
import logging
import re
import time
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")

_current = contextvars.ContextVar("request_id", default=None)
access_log = logging.getLogger("tracker.access")


def current_request_id() -> str | None:
    """The id of the request being handled in this thread or task, None outside one."""
    return _current.get()


def request_id_from(request) -> str:
    """The incoming id when it is sane, else a new one (32 hex digits)."""
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    if SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def bind_request_id(request) -> str:
    """Bind the request's id to the log lines made from now until its response is closed
    (request_finished: Django's own 4xx/5xx lines come after the middleware, and a
    streamed body after the view); returns the id."""
    request_id = request_id_from(request)
    request.request_id = request_id
    _current.set(request_id)
    return request_id


@receiver(request_finished, dispatch_uid="tracker.ops.access.forget_request_id")
def forget_request_id(sender, **kwargs):
    _current.set(None)


def user_id(request) -> int | None:
    """The user's id if the request has already looked the user up; never a query."""
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, LazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


class RequestIdMiddleware:
    """Give each request its id, send it back, and write the request's access line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = bind_request_id(request)
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response[HEADER] = request_id
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": user_id(request),
        }
        access_log.info(
            "%s %s %s %sms", request.method, request.path, response.status_code, duration_ms,
            extra=fields,
        )  # fmt: skip
        return response
