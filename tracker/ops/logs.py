"""Log lines: one JSON object per line (production) or a readable line (laptop).

Both formats carry the time (UTC), level, logger, message and the request id of the
request being handled (None outside one), and keep out of the logs:

- query strings (`/path?q=...` loses `?q=...`) and password-reset links
  (`/auth/reset/<uid>/<token>/` becomes `/auth/reset/<redacted>/`), in every message;
- the text of database errors, which can carry the values written (a note, an e-mail):
  such an exception is logged by its class and where it was raised, never its message.

Passwords, tokens and note texts never reach a log call: the access line has the method
and path only, and no code logs a form or a request body.
"""

import datetime
import json
import logging
import re
import traceback

from django.db import Error as DjangoDatabaseError

from .access import current_request_id

# Password-reset links (django.contrib.auth's reset/<uidb64>/<token>/ and the
# reset/<uidb64>/set-password/ it redirects to); reset/done/ is kept.
RESET_LINK = re.compile(r"/reset/(?!done/)[^/\s\"']+/[^/\s\"']*/?")
# A query string after a path: "/path?a=1&b=2" -> "/path".
QUERY_STRING = re.compile(r"(/[^\s?\"']*)\?[^\s\"']+")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Fields a log call may add with extra={...} that the JSON line carries (the access line's).
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "user_id")
# Modules whose exceptions are database errors (DB-API drivers); Django's wrap them.
DATABASE_MODULES = ("psycopg", "psycopg2", "sqlite3")


def redact(text: str) -> str:
    """Text without query strings and password-reset links."""
    return QUERY_STRING.sub(r"\1", RESET_LINK.sub("/reset/<redacted>/", text))


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request being handled (None outside one)."""

    def filter(self, record):
        record.request_id = current_request_id()
        return True


def _is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, DjangoDatabaseError) or (
        type(exc).__module__.split(".")[0] in DATABASE_MODULES
    )


def _chain(exc: BaseException):
    """The exception and those it was raised from or during, outermost first."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)


def exception_fields(exc_info) -> tuple[str, str]:
    """(the exception's class, its traceback) for a log line.

    A database error anywhere in the chain: the classes and the frames only, no message."""
    exc = exc_info[1]
    if exc is None:
        return "", ""
    name = f"{type(exc).__module__}.{type(exc).__qualname__}"
    chain = list(_chain(exc))
    if any(_is_database_error(e) for e in chain):
        frames = "".join(traceback.format_tb(exc.__traceback__))
        classes = " <- ".join(f"{type(e).__module__}.{type(e).__qualname__}" for e in chain)
        return name, f"Traceback (most recent call last):\n{frames}{classes} (message not logged)"
    return name, redact("".join(traceback.format_exception(*exc_info)).rstrip())


def _utc_time(record) -> str:
    moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, the access
    line's fields when present, and error/traceback for an exception."""

    def format(self, record):
        line = {
            "time": _utc_time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", current_request_id()),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                value = getattr(record, field)
                line[field] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            line["error"], line["traceback"] = exception_fields(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`2026-12-01T14:53:22.123Z INFO tracker.access [<request id>] GET / 200 12.3ms`,
    then the traceback of an exception on the lines below."""

    def format(self, record):
        request_id = getattr(record, "request_id", current_request_id()) or "-"
        message = CONTROL.sub(lambda m: repr(m.group())[1:-1], redact(record.getMessage()))
        text = f"{_utc_time(record)} {record.levelname} {record.name} [{request_id}] {message}"
        if record.exc_info:
            text += "\n" + exception_fields(record.exc_info)[1]
        return text
