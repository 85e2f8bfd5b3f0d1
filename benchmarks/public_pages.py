"""The public site's pages, timed in-process (django.test.Client) with the production
settings on a database already built (the demo's, or `run_size --build-only`'s), in a
transaction rolled back at the end: the site is switched on, the latest notes published
and one recommendation and one line kept out of public view, as in real use; nothing
stays.

Each page three ways: rendered (the cache off, every request renders: the cost of a miss,
and of the first visitor after a write), served from the shared cache, and answered 304 to
a conditional GET. Prints a Markdown table.

    .venv/bin/python -m benchmarks.public_pages --url sqlite:///demo.sqlite3
    .venv/bin/python -m benchmarks.public_pages --url postgres://postgres@127.0.0.1:5432/hearings_bench
"""

import argparse
import statistics
import sys

from .pages import PageResult, percentile, timed
from .run_size import production_environment

PUBLISHED = 50


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="DATABASE_URL of a built database")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    return parser.parse_args(argv)


def pages(code: str, actor: str) -> list[tuple[str, str]]:
    return [
        ("dashboard", "/en/public/"),
        ("list", "/en/public/recommendations/"),
        ("list: theme + status, by status",
         "/en/public/recommendations/?theme=rights&status=in-progress&sort=status"),
        ("list: search", "/en/public/recommendations/?q=recruitment"),
        ("list: an actor", "/en/public/recommendations/?actor=ilo"),
        ("list: page 40", "/en/public/recommendations/?page=40"),
        ("a recommendation", f"/en/public/recommendations/{code}/"),
        ("actors", "/en/public/actors/"),
        ("an actor (Governments)", "/en/public/actors/governments/"),
        ("an actor", f"/en/public/actors/{actor}/"),
        ("report", "/en/public/report/"),
        ("report chapter V", "/en/public/report/chapters/V/"),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap of recommendations", "/sitemap-recommendations.xml"),
    ]  # fmt: skip


def prepare_public_state():
    """Switch the site on, publish the latest notes, keep one of each kind out of view."""
    from hearings.models import Recommendation
    from tracker.models import FollowUpLine, StatusUpdate
    from tracker.publication import services
    from tracker.publication.models import NotePublication

    services.site_set(user=None, is_on=True)
    latest = StatusUpdate.objects.order_by("-recorded_at", "-id")[:PUBLISHED]
    NotePublication.objects.bulk_create(
        [NotePublication(update=u) for u in latest], ignore_conflicts=True
    )
    withheld_rec = Recommendation.objects.main().order_by("position")[1]
    services.withhold(user=None, recommendation=withheld_rec, reason="benchmark")
    line = FollowUpLine.objects.exclude(recommendation=withheld_rec).order_by("pk").first()
    services.withhold(user=None, line=line, reason="benchmark")
    detail = latest[0].line if latest else FollowUpLine.objects.first()
    return detail.recommendation.code, detail.actor.key


def measure(args) -> list[tuple[str, PageResult, PageResult, PageResult]]:
    import django

    django.setup()
    from django.db import transaction
    from django.test import Client, override_settings

    rows = []
    with transaction.atomic():
        code, actor = prepare_public_state()
        client = Client()
        for name, url in pages(code, actor):
            with override_settings(
                CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
            ):
                rendered = timed(PageResult(name, url), lambda _p, u=url: client.get(u),
                                 args.runs, args.warmup)  # fmt: skip
            local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                     "LOCATION": f"bench-{url}"}  # fmt: skip
            with override_settings(CACHES={"default": local}):
                cached = timed(PageResult(name, url), lambda _p, u=url: client.get(u),
                               args.runs, args.warmup)  # fmt: skip
                etag = client.get(url).headers["ETag"]
                conditional = timed(
                    PageResult(name, url),
                    lambda _p, u=url, e=etag: client.get(u, headers={"If-None-Match": e}),
                    args.runs, args.warmup, expect=304,
                )  # fmt: skip
            rows.append((name, rendered, cached, conditional))
            print(f"{name}: {statistics.median(rendered.times) * 1000:.0f} ms", file=sys.stderr)
        transaction.set_rollback(True)
    return rows


def table(rows) -> str:
    lines = [
        "| page | queries | rendered: median / p95 | from the cache | 304 |",
        "|---|--:|--:|--:|--:|",
    ]
    for name, rendered, cached, conditional in rows:
        lines.append(
            f"| {name} | {rendered.queries} | "
            f"{statistics.median(rendered.times) * 1000:.0f} / "
            f"{percentile(rendered.times, 0.95) * 1000:.0f} ms | "
            f"{statistics.median(cached.times) * 1000:.1f} ms | "
            f"{statistics.median(conditional.times) * 1000:.1f} ms |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    production_environment(args.url)
    print(table(measure(args)))


if __name__ == "__main__":
    main()
