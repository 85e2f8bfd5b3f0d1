"""Pages of a long list that cost the same on page 1 and far down, whatever the size.

The first pages are numbered (`?page=N`, offsets); "Next" from the last numbered page, and
every page after it, continues from the last row shown (`?after=<cursor>`: keyset
pagination on the sort key plus the id, which an index serves). `?page=N` still answers
for any N. The count is exact where it is known cheaply (the caller passes it) or up to
COUNT_CAP, beyond which it says "about 12,000" (PostgreSQL's estimate) or "more than
1,000" (SQLite).
"""

import base64
import binascii
import json
import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

PAGE_SIZE = 25
COUNT_CAP = 1_000
NUMBERED_PAGES = 20
EXACT = "exact"


class BadCursor(ValueError):
    """An ?after= link that is broken, or was made for another sort order."""

    message = _("This link to a later page is broken or out of date; start from page 1.")


@dataclass
class ListPage:
    object_list: list
    count: int
    count_is: str  # "exact", "about" (an estimate) or "more" (more than `count`)
    number: int | None  # None for a page reached by ?after=
    has_next: bool
    next_query: str = ""
    previous_query: str = ""
    page_range: list = field(default_factory=list)
    num_pages: int | None = None
    ELLIPSIS = Paginator.ELLIPSIS


def ordering_of(queryset: QuerySet) -> list[str]:
    """The queryset's order, ending with the id so that every row has one place."""
    ordering = [str(f) for f in (queryset.query.order_by or queryset.model._meta.ordering)]
    ordering = [f for f in ordering if f.lstrip("-") not in ("pk", "id", "code")]
    descending = bool(ordering) and ordering[0].startswith("-")
    return [*ordering, "-pk" if descending else "pk"]


def count_capped(queryset: QuerySet) -> tuple[int, str]:
    """(count, what it is): exact up to COUNT_CAP, in a query that stops reading there; past
    it, PostgreSQL's own estimate of the rows (EXPLAIN: no row read), never below the
    cap, and on SQLite, which estimates nothing, the cap ("more than")."""
    n = queryset.order_by()[: COUNT_CAP + 1].count()
    if n <= COUNT_CAP:
        return n, EXACT
    guess = estimate(queryset)
    return (guess, "about") if guess > COUNT_CAP else (COUNT_CAP, "more")


def estimate(queryset: QuerySet) -> int:
    """The planner's estimate of the rows a queryset matches; 0 where there is none."""
    if connection.vendor != "postgresql":
        return 0
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return round_figure(int(plan[0]["Plan"]["Plan Rows"]))


def round_figure(n: int) -> int:
    """Two significant figures: an estimate says no more than it knows (12,345: 12,000)."""
    if n < 100:
        return n
    scale = 10 ** (len(str(n)) - 2)
    return round(n / scale) * scale


def _value(row, name: str):
    for part in name.split("__"):
        row = getattr(row, part) if row is not None else None
    return row


def encode_cursor(ordering: list[str], row) -> str:
    values = [_value(row, name.lstrip("-")) for name in ordering]
    raw = json.dumps([",".join(ordering), values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(ordering: list[str], cursor: str) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        made_for, values = json.loads(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise BadCursor from exc
    if made_for != ",".join(ordering) or not isinstance(values, list):
        raise BadCursor
    if len(values) != len(ordering) or not all(isinstance(v, int | str) for v in values):
        raise BadCursor
    return values


def after(ordering: list[str], values: list) -> Q:
    """The rows after these sort values: a range on the leading key (which the index
    reads from), then the tie-breakers."""
    later, equal = Q(), Q()
    for name, value in zip(ordering, values, strict=True):
        key, descending = name.lstrip("-"), name.startswith("-")
        later |= equal & Q(**{f"{key}__{'lt' if descending else 'gt'}": value})
        equal &= Q(**{key: value})
    first, descending = ordering[0].lstrip("-"), ordering[0].startswith("-")
    return Q(**{f"{first}__{'lte' if descending else 'gte'}": values[0]}) & later


def list_page(
    queryset, params, *, query: str, exact_count=None, keyset=True, rows_of=None
) -> ListPage:
    """The page that `params` (the query string) asks for. `rows_of(pk__in=ids)` reads
    the rows of a numbered page in full (by default the queryset itself, filtered by id).
    Raises BadCursor."""
    ordering = ordering_of(queryset)
    queryset = queryset.order_by(*ordering)
    prefix = f"{query}&" if query else ""
    cursor = params.get("after")
    if cursor and keyset:
        try:
            rows = list(
                queryset.filter(after(ordering, decode_cursor(ordering, cursor)))[: PAGE_SIZE + 1]
            )
        except (ValidationError, ValueError, TypeError) as exc:
            raise BadCursor from exc
        count, count_is = (
            (exact_count, EXACT) if exact_count is not None else count_capped(queryset)
        )
        page = ListPage(rows[:PAGE_SIZE], count, count_is, None, len(rows) > PAGE_SIZE)
        page.previous_query = query
    else:
        count, count_is = (
            (exact_count, EXACT) if exact_count is not None else count_capped(queryset)
        )
        num_pages = max(1, math.ceil(count / PAGE_SIZE))
        try:
            number = int(params.get("page", 1))
        except (TypeError, ValueError):
            number = 1
        # Past either end: the last page where it is known (as Django's get_page does).
        known = count_is == EXACT
        if number < 1 or (number > num_pages and known):
            number = num_pages if known else 1
        offset = (number - 1) * PAGE_SIZE
        # The page's ids first (a narrow read of the index, however deep the offset),
        # then those rows in full: the offset never drags wide rows through the sort.
        ids = list(queryset.values_list("pk", flat=True)[offset : offset + PAGE_SIZE + 1])
        found = {row.pk: row for row in (rows_of or queryset.filter)(pk__in=ids)}
        rows = [found[pk] for pk in ids if pk in found]
        page = ListPage(rows[:PAGE_SIZE], count, count_is, number, len(rows) > PAGE_SIZE)
        page.num_pages = num_pages if known else None
        shown = min(num_pages, NUMBERED_PAGES)
        numbered = Paginator(range(shown * PAGE_SIZE), PAGE_SIZE)  # no query: a range
        page.page_range = list(
            numbered.get_elided_page_range(min(number, shown), on_each_side=2, on_ends=1)
        )
        if number > 1:
            page.previous_query = f"{prefix}page={number - 1}"
    if page.has_next:
        if keyset and (page.number is None or page.number >= NUMBERED_PAGES):
            page.next_query = f"{prefix}after={encode_cursor(ordering, page.object_list[-1])}"
        else:
            page.next_query = f"{prefix}page={page.number + 1}"
    return page
