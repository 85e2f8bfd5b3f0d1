"""Cursor pages: every list is read in one stable order (its sort key, then the id) and
continues from the last row given (`next`, carrying `cursor`), so page 1,000 costs what
page 1 does and a row written meanwhile never shifts a page. The keyset itself is
tracker.paging's, shared with the staff list."""

import base64
import datetime
import json
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tracker import paging
from tracker.links import absolute_url

from .problems import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def limit_of(params) -> int:
    raw = params.get("limit")
    if raw in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise Problem(
            "invalid-request",
            errors={"limit": [_("A whole number from 1 to %(n)s.") % {"n": MAX_LIMIT}]},
        )
    return limit


def _value(row, name: str):
    for part in name.split("__"):
        row = getattr(row, part) if row is not None else None
    if isinstance(row, datetime.date | datetime.datetime):
        return row.isoformat()
    return row


def encode(ordering: list[str], row) -> str:
    values = [_value(row, name.lstrip("-")) for name in ordering]
    raw = json.dumps([",".join(ordering), values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def page(request, queryset, serialize, **envelope) -> dict:
    """The page of `queryset` that the request asks for, as {"next", "results", ...}:
    `serialize(rows)` makes the results; `envelope` adds keys beside them."""
    limit = limit_of(request.GET)
    ordering = paging.ordering_of(queryset)
    queryset = queryset.order_by(*ordering)
    cursor = request.GET.get("cursor")
    if cursor:
        try:
            values = paging.decode_cursor(ordering, cursor)
            rows = list(queryset.filter(paging.after(ordering, values))[: limit + 1])
        except (paging.BadCursor, ValidationError, ValueError, TypeError) as exc:
            raise Problem("bad-cursor") from exc
    else:
        rows = list(queryset[: limit + 1])
    next_url = None
    if len(rows) > limit:
        query = request.GET.copy()
        query["cursor"] = encode(ordering, rows[limit - 1])
        next_url = absolute_url(f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}")
    return {**envelope, "next": next_url, "results": serialize(rows[:limit])}
