"""Errors as RFC 9457 problem details (`application/problem+json`): every error the API
answers is one of PROBLEMS, with its type URI (`/api/v1/problems/#<slug>`), a title, the
status, a detail for this occurrence, the request's path as `instance`, and extensions
where they help (`errors` by field, `newer_updates` on a stale line, `retry_after`)."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.response import Response

from tracker.links import absolute_url

PROBLEM_CONTENT_TYPE = "application/problem+json"
logger = logging.getLogger(__name__)

# slug: (status, title, when). The schema declares each for the operations that answer it.
PROBLEMS = {
    "invalid-request": (400, gettext_lazy("The request is not valid"),
        gettext_lazy("A query parameter or a field of the body is refused; `errors` names "
                     "each, with the reason.")),
    "token-in-query": (400, gettext_lazy("A token was sent in the query string"),
        gettext_lazy("Tokens go in the Authorization header only (`Authorization: Bearer "
                     "htk_...`): a query string ends up in logs, histories and referrers. "
                     "Revoke that token and make a new one.")),
    "bad-cursor": (400, gettext_lazy("This cursor is broken or out of date"),
        gettext_lazy("Cursors are made for one order of one list: follow `next` as given, "
                     "or start again without `cursor`.")),
    "malformed-body": (400, gettext_lazy("The body is not JSON"),
        gettext_lazy("The body could not be read as a JSON object.")),
    "not-authenticated": (401, gettext_lazy("Authentication is needed"),
        gettext_lazy("Send a personal token: `Authorization: Bearer htk_...` (made on the "
                     "preferences page, or with `manage.py api_token`).")),
    "token-invalid": (401, gettext_lazy("This token does not work"),
        gettext_lazy("The token is unknown, expired or revoked, or its account is "
                     "deactivated; `detail` says which.")),
    "public-site-off": (401, gettext_lazy("The public site is off"),
        gettext_lazy("Anonymous callers read what the public site shows, and only while a "
                     "coordinator has it switched on. Authenticate to read as staff.")),
    "forbidden": (403, gettext_lazy("Not allowed"),
        gettext_lazy("Your role may not do this (a focal point records on the lines of "
                     "exactly the actors they report for; coordinators on any open line).")),
    "read-only-token": (403, gettext_lazy("This token is read-only"),
        gettext_lazy("Writing needs a token with the read-write scope.")),
    "not-found": (404, gettext_lazy("Not found"),
        gettext_lazy("Nothing here by that code, key or id (or nothing you may see).")),
    "method-not-allowed": (405, gettext_lazy("Method not allowed"),
        gettext_lazy("The `Allow` header lists the methods this address answers.")),
    "not-acceptable": (406, gettext_lazy("Not acceptable"),
        gettext_lazy("The API answers application/json (and problems as "
                     "application/problem+json) only.")),
    "stale-line": (409, gettext_lazy("The line was updated meanwhile"),
        gettext_lazy("Someone recorded on the line after the version you sent: "
                     "`newer_updates` lists what was recorded since; read them and send "
                     "again with `current_version` if yours still holds.")),
    "unsupported-media-type": (415, gettext_lazy("Unsupported media type"),
        gettext_lazy("Send the body as application/json.")),
    "too-many-requests": (429, gettext_lazy("Too many requests"),
        gettext_lazy("The rate limit for your token or address is reached: wait "
                     "`Retry-After` seconds.")),
    "server-error": (500, gettext_lazy("Something went wrong on our side"),
        gettext_lazy("The error is logged with the request's id (the X-Request-ID header).")),
}  # fmt: skip


def type_uri(slug: str) -> str:
    return absolute_url(f"/api/v1/problems/#{slug}")


class Problem(exceptions.APIException):
    """An error answered as the problem `slug`, with `detail` and extensions."""

    def __init__(self, slug: str, detail=None, *, headers=None, **extensions):
        self.slug = slug
        self.status_code = PROBLEMS[slug][0]
        self.extensions = extensions
        self.headers = headers or {}
        super().__init__(detail or PROBLEMS[slug][2])


class AuthProblem(Problem, exceptions.AuthenticationFailed):
    """A 401, which DRF gives the WWW-Authenticate header of the first authentication."""


def _slug_of(exc) -> str:
    if isinstance(exc, Problem):
        return exc.slug
    return {
        exceptions.ValidationError: "invalid-request",
        exceptions.ParseError: "malformed-body",
        exceptions.AuthenticationFailed: "token-invalid",
        exceptions.NotAuthenticated: "not-authenticated",
        exceptions.PermissionDenied: "forbidden",
        exceptions.NotFound: "not-found",
        exceptions.MethodNotAllowed: "method-not-allowed",
        exceptions.NotAcceptable: "not-acceptable",
        exceptions.UnsupportedMediaType: "unsupported-media-type",
        exceptions.Throttled: "too-many-requests",
    }.get(type(exc), "invalid-request" if exc.status_code == 400 else "server-error")


def problem_body(slug: str, detail, instance: str, **extensions) -> dict:
    status, title, _when = PROBLEMS[slug]
    body = {"type": type_uri(slug), "title": str(title), "status": status}
    if detail:
        body["detail"] = str(detail)
    body["instance"] = instance
    body.update(extensions)
    return body


def _errors(detail) -> dict:
    """A ValidationError's detail as {field: [messages]} ("request" for the whole)."""
    if isinstance(detail, dict):
        return {
            str(field): [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for field, msgs in detail.items()
        }
    return {"request": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def exception_handler(exc, context):
    """DRF's exception handler for every API view: every error as a problem."""
    request = context["request"]
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif not isinstance(exc, exceptions.APIException):
        logger.exception("API error (%s)", type(exc).__name__)
        exc = Problem("server-error")
    slug = _slug_of(exc)
    extensions = dict(getattr(exc, "extensions", {}))
    headers = dict(getattr(exc, "headers", {}) or {})
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError) and not isinstance(exc, Problem):
        extensions["errors"] = _errors(detail)
        detail = _("See `errors`: each refused parameter or field, with the reason.")
    elif isinstance(exc, exceptions.Throttled):
        wait = max(1, int(exc.wait or 1))
        headers["Retry-After"] = str(wait)
        extensions["retry_after"] = wait
        detail = PROBLEMS[slug][2]
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    elif isinstance(exc, exceptions.MethodNotAllowed):
        view = context.get("view")
        if view is not None:
            headers["Allow"] = ", ".join(view.allowed_methods)
    body = problem_body(slug, detail, request.path, **extensions)
    return Response(
        body, status=PROBLEMS[slug][0], headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )
