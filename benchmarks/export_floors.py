"""Every export against its floor: the export through the export page (django.test.Client,
read to the end), each run in a child process for its peak memory (benchmarks/isolated.py),
beside PostgreSQL's `COPY (SELECT the same columns) TO STDOUT` of the same rows in the same
order (the as-of floor does the as-of rule and the roll-up in bare SQL). SQLite has no COPY:
its exports are timed without a floor. Also the PDF and Word reports of 1,000
recommendations (capped on the page), through tracker.reports.writing.

Kept apart from helper "exports"'s benchmarks/exports.py (measure_exports): either can
feed benchmarks/report.py, whose export table takes the dicts returned here.
"""

# The floors' SQL is built from the models' table names and the code's own constants
# (statuses, a date): no input reaches it.
# ruff: noqa: S608

import datetime
import statistics
import tempfile

from tracker.models import PROGRESS_ORDER, Status

from . import isolated

AS_OF = datetime.date(2015, 1, 1)
# The targets: export time at most this many times its floor.
TARGET_RATIO = {"csv": 2, "xlsx": 8, "asof": 3}
NLR = Status.NO_LONGER_RELEVANT.value
FINAL = ", ".join(f"'{s.value}'" for s in (Status.IMPLEMENTED, Status.WILL_NOT_BE_IMPLEMENTED,
                                            Status.NO_LONGER_RELEVANT))  # fmt: skip


def _tables():
    from hearings.models import (
        Actor,
        AgendaPoint,
        GcmObjective,
        GcmTag,
        Paragraph,
        Recommendation,
        SdgTag,
        SdgTarget,
        Theme,
    )
    from tracker.models import FollowUpLine, RecommendationProgress, StatusUpdate

    models = {"rec": Recommendation, "par": Paragraph, "theme": Theme, "actor": Actor,
              "point": AgendaPoint, "line": FollowUpLine, "update": StatusUpdate,
              "progress": RecommendationProgress,
              "rec_point": Recommendation.agenda_points.through, "gcm_tag": GcmTag,
              "gcm": GcmObjective, "sdg_tag": SdgTag, "sdg": SdgTarget}  # fmt: skip
    return {key: model._meta.db_table for key, model in models.items()}


def _select(as_of: datetime.date | None) -> str:
    """The follow-up sheet's columns for every active line of the main recommendations, in
    report order: from the stored current state (as_of None: today), or rebuilt as of a
    date (the latest update in effect by then, the line existing then, the roll-up)."""
    t = _tables()
    agenda = (
        f"(SELECT string_agg(a.key, ', ' ORDER BY a.key) FROM {t['rec_point']} ra "
        f"JOIN {t['point']} a ON a.id = ra.agendapoint_id WHERE ra.recommendation_id = r.id)"
    )
    # The Global Compact objectives' and SDG targets' keys, in their order (last columns).
    gcm_keys, sdg_keys = (
        f"(SELECT string_agg(g.key, ', ' ORDER BY g.{order}) FROM {t[tags]} gt "
        f"JOIN {t[groups]} g ON g.id = gt.{column} WHERE gt.recommendation_id = r.id)"
        for tags, groups, column, order in (
            ("gcm_tag", "gcm", "objective_id", "number"),
            ("sdg_tag", "sdg", "target_id", "position"),
        )
    )
    links = "array_to_string(ARRAY(SELECT jsonb_array_elements_text(u.evidence_links)), E'\\n')"
    last = f"(SELECT max(id) FROM {t['update']} WHERE line_id = l.id)"
    # The evidence files of the update shown, as links, made as the export makes them.
    from tracker.evidence.models import EvidenceFile
    from tracker.reports.sheet_query import download_urls_sql

    files = download_urls_sql(
        "(SELECT string_agg(ef.id::text || ':' || ef.key::text, ' ' ORDER BY ef.id) "
        f"FROM {EvidenceFile._meta.db_table} ef WHERE ef.update_id = u.id "
        "AND ef.withdrawn_at IS NULL)"
    )
    joins = (
        f"FROM {t['line']} l JOIN {t['rec']} r ON r.id = l.recommendation_id "
        f"JOIN {t['par']} p ON p.id = r.paragraph_id "
        f"JOIN {t['theme']} th ON th.id = r.theme_id JOIN {t['actor']} ac ON ac.id = l.actor_id "
    )
    main = "r.withdrawn_at IS NULL AND r.restates_id IS NULL"
    if as_of is None:
        return (
            f"SELECT l.id, r.code, r.title, p.number, th.title, {agenda}, ac.key, ac.name, "
            f"pr.status, l.status, l.status_since, u.note, {links}, l.target_date, "
            f"CASE WHEN l.target_date < CURRENT_DATE AND l.status NOT IN ({FINAL}) "
            f"THEN 'yes' ELSE 'no' END, {last}, '', '', '', '', {files}, {gcm_keys}, {sdg_keys} "
            f"{joins} LEFT JOIN {t['progress']} pr ON pr.recommendation_id = r.id "
            f"LEFT JOIN {t['update']} u ON u.id = l.current_update_id "
            f"WHERE {main} AND (l.addressed OR l.added_by_id IS NOT NULL) "
            "ORDER BY r.position, r.code, ac.name, l.id"
        )
    day = f"DATE '{as_of.isoformat()}'"
    rank = " ".join(f"WHEN '{s.value}' THEN {i}" for i, s in enumerate(PROGRESS_ORDER))
    scale = ", ".join(f"'{s.value}'" for s in PROGRESS_ORDER)
    cap = PROGRESS_ORDER.index(Status.PARTIALLY_IMPLEMENTED)
    relevant = f"FILTER (WHERE st <> '{NLR}') OVER w"
    return (
        f"WITH asof AS (SELECT l.id, l.recommendation_id, l.target_date, r.code, r.title, "
        f"r.position, p.number, th.title AS theme, {agenda} AS points, ac.key, ac.name, "
        f"COALESCE(u.status, '{Status.NO_INFORMATION.value}') AS st, u.effective_date AS since, "
        f"u.note, {links} AS links, {last} AS last_id, {files} AS files, "
        f"{gcm_keys} AS gcm, {sdg_keys} AS sdg {joins}"
        f"LEFT JOIN LATERAL (SELECT s.id, s.status, s.note, s.evidence_links, s.effective_date "
        f"FROM {t['update']} s WHERE s.line_id = l.id AND s.effective_date <= {day} "
        f"ORDER BY s.effective_date DESC, s.recorded_at DESC, s.id DESC LIMIT 1) u ON true "
        f"WHERE {main} AND (l.addressed OR l.added_by_id IS NOT NULL OR l.dropped_on IS NOT NULL) "
        f"AND (l.followed_since <= {day} OR u.status IS NOT NULL) "
        f"AND (l.dropped_on IS NULL OR l.dropped_on > {day} OR l.added_by_id IS NOT NULL)) "
        f"SELECT id, code, title, number, theme, points, key, name, CASE "
        f"WHEN count(*) {relevant} = 0 THEN '{NLR}' "
        f"WHEN bool_and(st = '{Status.IMPLEMENTED.value}') {relevant} "
        f"THEN '{Status.IMPLEMENTED.value}' "
        f"WHEN bool_and(st = '{Status.WILL_NOT_BE_IMPLEMENTED.value}') {relevant} "
        f"THEN '{Status.WILL_NOT_BE_IMPLEMENTED.value}' "
        f"ELSE (ARRAY[{scale}])[LEAST(COALESCE(max(CASE st {rank} END) {relevant}, 0), {cap}) + 1] "
        f"END, st, since, note, links, target_date, "
        f"CASE WHEN target_date < {day} AND st NOT IN ({FINAL}) THEN 'yes' ELSE 'no' END, "
        f"last_id, '', '', '', '', files, gcm, sdg FROM asof "
        "WINDOW w AS (PARTITION BY recommendation_id) "
        "ORDER BY position, code, name, id"
    )


class _Sink:
    def __init__(self):
        self.bytes = 0

    def write(self, data):
        self.bytes += len(data)


def floor(as_of: datetime.date | None, runs: int) -> tuple[float, int]:
    """Median seconds and bytes of COPY (the same columns) TO STDOUT as CSV."""
    import time

    from django.db import connection

    times, size = [], 0
    for _ in range(runs):
        sink = _Sink()
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.copy_expert(f"COPY ({_select(as_of)}) TO STDOUT WITH (FORMAT csv, HEADER)",
                               sink)  # fmt: skip
            times.append(time.perf_counter() - started)
        size = sink.bytes
    return statistics.median(times), size


def _page_export(client, url: str):
    def work():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return {"bytes": sum(len(chunk) for chunk in response.streaming_content)}

    return work


def _document(options):
    def work():
        from tracker.reports import writing

        with tempfile.TemporaryFile() as out:
            writing.write(options, out)
            return {"bytes": out.tell()}

    return work


def _measured(name: str, work, runs: int) -> dict:
    results = [isolated.run(work) for _ in range(runs)]
    return {"name": name, "seconds": statistics.median(r["seconds"] for r in results),
            "peak_mb": max(r["peak_mb"] for r in results), "bytes": results[-1]["bytes"],
            "runs": runs}  # fmt: skip


def measure_exports_against_floors(builder, runs: int, log) -> list[dict]:
    """CSV of every line, CSV as of AS_OF and Excel of every line, each with its floor."""
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(builder.coordinator)
    today = builder.today.isoformat()
    exports = [
        ("CSV, every line", "csv", f"format=csv&as_of={today}", None),
        (f"CSV as of {AS_OF.isoformat()}", "asof", f"format=csv&as_of={AS_OF.isoformat()}", AS_OF),
        ("Excel, every line", "xlsx", f"format=xlsx&as_of={today}", None),
    ]
    results = []
    for name, kind, query, as_of in exports:
        url = f"/export/?{query}&grouping=theme&download=1"
        result = _measured(name, _page_export(client, url), runs)
        result.update(kind=kind, url=url, target_ratio=TARGET_RATIO[kind])
        if connection.vendor == "postgresql":
            result["floor_seconds"], result["floor_bytes"] = floor(as_of, runs)
            result["ratio"] = result["seconds"] / result["floor_seconds"]
        results.append(result)
        log(f"  {name:<28} {result['seconds']:8.2f} s  floor "
            f"{result.get('floor_seconds', float('nan')):7.2f} s  "
            f"peak {result['peak_mb']:6.1f} MB  {result['bytes'] / 1e6:7.1f} MB")  # fmt: skip
    return results


def measure_documents(builder, count: int, log) -> list[dict]:
    """PDF and Word of the first `count` main recommendations in report order (fewer when
    the data has fewer), as the page makes them (within its cap); the count made is said
    beside the figures."""
    from hearings.models import Recommendation
    from tracker.reports.options import ExportOptions, check

    first = Recommendation.objects.main().order_by("position")[:count]
    chosen = Recommendation.objects.main().filter(pk__in=list(first.values_list("pk", flat=True)))
    count = chosen.count()
    results = []
    for name, fmt in [("PDF report", "pdf"), ("Word report", "docx")]:
        options = ExportOptions(recommendations=chosen, as_of=builder.today, format=fmt,
                                generated_by="benchmarks")  # fmt: skip
        check(options, capped=True)  # the page would make it
        result = _measured(name, _document(options), 1)
        result.update(kind=fmt, recommendations=count, measured_on=builder.today.isoformat())
        results.append(result)
        log(f"  {name:<28} {result['seconds']:8.2f} s  peak {result['peak_mb']:6.1f} MB "
            f"for {count} recommendations")  # fmt: skip
    return results
