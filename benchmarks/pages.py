"""Every page of issue 10, timed in-process through django.test.Client with the production
settings, beside "its SQL alone": the very statements the page ran (captured with
connection.execute_wrapper), run again bare through a raw DB-API cursor and timed, in a
transaction rolled back after (so a write re-run changes nothing).

For each page: median and 95th percentile of `runs` timed requests after `warmup`
untimed ones, the number of statements (as django_assert_num_queries counts them) and
the median of the SQL alone over as many runs.
"""

import math
import statistics
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote

from .forms import post_form_fields

PAGE_SIZE = 25
DEEP_PAGE = 500
# Transaction control, left out when statements are replayed bare (SQLite's BEGIN, and
# BEGIN IMMEDIATE with transaction_mode IMMEDIATE; savepoints of nested atomic blocks).
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (the 95th of 20 runs is the 19th fastest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class PageResult:
    name: str
    url: str
    times: list[float] = field(default_factory=list)
    queries: int = 0
    sql_times: list[float] = field(default_factory=list)
    target: bool = True  # held to the page targets (the admin lists are the yardstick)

    def figures(self) -> dict:
        return {
            "name": self.name, "url": self.url, "target": self.target,
            "median_ms": statistics.median(self.times) * 1000,
            "p95_ms": percentile(self.times, 0.95) * 1000,
            "queries": self.queries,
            "sql_ms": statistics.median(self.sql_times) * 1000,
            "runs": len(self.times),
        }  # fmt: skip


class Capture:
    """An execute wrapper that keeps each statement with its parameters."""

    def __init__(self):
        self.statements: list[tuple[str, object, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


def sql_alone(statements, runs: int) -> list[float]:
    """Times of the statements run bare, `runs` times after one warm-up, each run in a
    transaction that is rolled back. Transaction control (SQLite's BEGIN) is left out."""
    from django.db import connection, transaction

    bare = [s for s in statements if not s[0].strip().upper().startswith(TRANSACTION_CONTROL)]
    times = []
    for index in range(runs + 1):
        with transaction.atomic():
            cursor = connection.create_cursor()  # the driver's own cursor: no Django layer
            started = time.perf_counter()
            for sql, params, many in bare:
                if many:
                    cursor.executemany(sql, params)
                else:
                    cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
            elapsed = time.perf_counter() - started
            cursor.close()
            transaction.set_rollback(True)
        if index:
            times.append(elapsed)
    return times


def _read(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def timed(result, request, runs: int, warmup: int, expect=200, prepare=None) -> PageResult:
    """Time `request(prepared)`, a response, where `prepared` is what `prepare(index)` made
    beforehand, untimed: warm-ups, then timed runs."""
    from django.db import connection

    statements = []
    for index in range(warmup + runs):
        prepared = prepare(index) if prepare else None
        capture = Capture()
        with connection.execute_wrapper(capture):
            started = time.perf_counter()
            response = request(prepared)
            _read(response)
            elapsed = time.perf_counter() - started
        if response.status_code != expect:
            raise RuntimeError(f"{result.name}: {result.url} answered {response.status_code}")
        if index >= warmup:
            result.times.append(elapsed)
            statements = capture.statements
    result.queries = len(statements)
    result.sql_times = sql_alone(statements, runs)
    return result


def get(client, name: str, url: str, runs: int, warmup: int, target=True) -> PageResult:
    return timed(PageResult(name, url, target=target), lambda _p: client.get(url), runs, warmup)


class _NextLink(HTMLParser):
    def __init__(self):
        super().__init__()
        self.href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "next" in (attrs.get("rel") or "").split() and self.href is None:
            self.href = attrs.get("href")


def next_link(client, url: str) -> str:
    """The page's rel="next" link, as a reader would follow it, resolved against `url`."""
    from urllib.parse import urljoin

    reader = _NextLink()
    reader.feed(client.get(url).content.decode())
    if not reader.href:
        raise RuntimeError(f"{url} has no rel=next link")
    return urljoin(url, reader.href.replace("&amp;", "&"))


def record_update(client, lines, runs: int, warmup: int) -> PageResult:
    """POST the update form of a different line each run, with the fields its GET gave
    (CSRF token, the line's version): the form as a person submits it."""
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    result = PageResult("record an update (POST)", "/lines/<id>/update/")

    def prepare(index):
        url = f"/lines/{lines[index]}/update/"
        fields = post_form_fields(client.get(url).content.decode())
        fields.update(status="in-progress", effective_date=today,
                      note=f"Benchmark update {index}: recorded through the form.")  # fmt: skip
        return url, fields

    return timed(result, lambda p: client.post(*p), runs, warmup, expect=302, prepare=prepare)


def measure(builder, runs: int, warmup: int, log) -> list[PageResult]:
    from django.test import Client

    from hearings.models import Recommendation
    from tracker.models import FollowUpLine

    coordinator, focal, admin = Client(), Client(), Client()
    # The same coordinator reading in French (the browser's language; no profile choice):
    # the list sorted by its French titles, in French order, from that language's index.
    french = Client(HTTP_ACCEPT_LANGUAGE="fr")
    french.force_login(builder.coordinator)
    coordinator.force_login(builder.coordinator)
    focal.force_login(builder.focal_point)
    admin.force_login(builder.admin)
    pages = max(1, math.ceil(Recommendation.objects.main().count() / PAGE_SIZE))
    deep = min(DEEP_PAGE, max(1, pages - 1))
    deep_url = f"/recommendations/?page={deep}"
    line = FollowUpLine.objects.filter(recommendation__code=builder.detail_code).first()
    fresh = list(
        FollowUpLine.objects.filter(recommendation__code__startswith="B", update_count__gt=0)
        .order_by("-pk").values_list("pk", flat=True)[: warmup + runs]
    )  # fmt: skip
    actor = builder.focal_actor
    plan = [
        (coordinator, "dashboard (coordinator)", "/"),
        (focal, "dashboard (focal point)", "/"),
        (coordinator, "list: default", "/recommendations/"),
        (coordinator, "list: theme + status + actor",
         "/recommendations/?theme=rights&status=in-progress&actor=governments"),
        (coordinator, "list: search", "/recommendations/?q=recruitment"),
        (coordinator, "list: sorted by title", "/recommendations/?sort=title"),
        (french, "list: sorted by title, in French", "/recommendations/?sort=title"),
        (coordinator, f"list: deep page ({deep})", deep_url),
        (coordinator, "list: next after the deep page", next_link(coordinator, deep_url)),
        (focal, "list: mine (focal point)", "/recommendations/?mine=on"),
        (coordinator, "recommendation page", f"/recommendations/{builder.detail_code}/"),
        (coordinator, "update form (GET)", f"/lines/{line.pk}/update/"),
    ]  # fmt: skip
    results = []
    for client, name, url in plan:
        results.append(get(client, name, url, runs, warmup))
        log(_line(results[-1]))
    results.append(record_update(coordinator, fresh, runs, warmup))
    log(_line(results[-1]))
    for name, url in [
        ("admin: follow-up lines, search", f"/admin/tracker/followupline/?q={quote(actor.name)}"),
        ("admin: follow-up lines", "/admin/tracker/followupline/"),
        ("admin: recommendations", "/admin/hearings/recommendation/"),
        ("admin: recommendations, search", "/admin/hearings/recommendation/?q=recruitment"),
    ]:
        results.append(get(admin, name, url, runs, warmup, target=False))
        log(_line(results[-1]))
    return results


def _line(result: PageResult) -> str:
    f = result.figures()
    return (f"  {f['name']:<36} {f['median_ms']:8.1f} ms  p95 {f['p95_ms']:8.1f}  "
            f"SQL {f['sql_ms']:8.1f}  {f['queries']:3} queries")  # fmt: skip
