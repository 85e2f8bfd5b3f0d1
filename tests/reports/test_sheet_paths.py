"""The follow-up sheet's paths give the same file: PostgreSQL's COPY of the sheet's query
(the cell rule in SQL), the same query through Python's csv writer (any database), and
the reference below, which is how the sheet was made before the query: the as-of rule's
querysets (asof.active_lines_as_of, which the PDF and Word reports read) rolled up in
Python. Byte for byte, on the loaded report with a synthetic history, for every filter
the export takes, several dates, and the demo column."""

import csv
import datetime
import random
from itertools import combinations_with_replacement

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone

from hearings.models import Actor, Recommendation
from tracker import services
from tracker.models import FINAL_STATUSES, FollowUpLine, Profile, Role, Status
from tracker.reports import asof, columns, copying, sheet_query, tables
from tracker.reports.options import DEMO_COLUMN, ExportOptions, recommendation_filter
from tracker.rollup import roll_up

pytestmark = pytest.mark.django_db

D = datetime.date
NOTES = ["Plan adopted", "Budget, staff and a law", 'The "pilot" began', "First\nsecond",
         "=SUM(A1)", "-3 regions", "@office", "'quoted", "\tindented", "é — ✓ 🌍",
         "x" * 300]  # fmt: skip
LINKS = [[], ["https://example.org/a"], ["https://example.org/a,b", "http://example.org/c?d=1"]]


@pytest.fixture
def history(loaded_report, monkeypatch):
    """Updates on most lines, out of order, on shared dates; a line dropped from the
    catalogue, a Member State's line added late; texts stored before the text rule."""
    rng = random.Random(2013)  # noqa: S311 (test data)
    user = get_user_model().objects.create_superuser("paths", password="a-long-password")
    Profile.objects.create(user=user, role=Role.COORDINATOR)
    monkeypatch.setattr(services, "validate_safe_text", lambda text: None)
    lines = list(FollowUpLine.objects.order_by("pk"))
    days = [D(2013, 7, 15), D(2013, 10, 3), D(2014, 6, 1), D(2015, 1, 1), D(2016, 5, 5),
            timezone.localdate()]  # fmt: skip
    for line in lines:
        for version in range(rng.choice([0, 0, 1, 2, 3, 4])):
            services.status_update_record(
                line_id=line.pk, user=user, status=rng.choice(list(Status)),
                note=rng.choice([*NOTES, "Stored\x1b[31m before\r\nthe rule"]),
                effective_date=rng.choice(days), evidence_links=rng.choice(LINKS),
                seen_version=version,
            )  # fmt: skip
    for line in rng.sample(lines, 20):
        FollowUpLine.objects.filter(pk=line.pk).update(
            target_date=rng.choice([D(2014, 1, 1), D(2015, 6, 1), D(2030, 1, 1)])
        )
    dropped = lines[5]
    FollowUpLine.objects.filter(pk=dropped.pk).update(addressed=False, dropped_on=D(2015, 1, 1))
    services.line_add(
        recommendation=lines[7].recommendation, actor=Actor.objects.get(key="mex"), user=user,
        followed_since=D(2015, 1, 1),
    )  # fmt: skip
    Recommendation.objects.filter(pk=lines[9].recommendation_id).update(title='=Title, "odd"')
    return user


def reference_csv(options: ExportOptions) -> bytes:
    """The sheet as made before its query: one row per line as of the date from
    asof.active_lines_as_of, statuses rolled up with tracker.rollup, each cell through
    columns.cell_value and Python's csv writer."""
    lines = (
        asof.active_lines_as_of(options.lines(), options.as_of)
        .select_related("recommendation__paragraph", "recommendation__theme", "actor")
        .prefetch_related(
            "recommendation__agenda_points",
            "recommendation__gcm_objectives",
            "recommendation__sdg_targets",
        )
        .order_by("recommendation__position", "recommendation__code", "actor__name", "pk")
    )
    groups: list[list] = []
    for line in lines:
        if not groups or groups[-1][0].recommendation_id != line.recommendation_id:
            groups.append([])
        groups[-1].append(line)
    writer = tables.csv_line_writer()
    demo_header, demo_cell = ([str(t)] for t in DEMO_COLUMN) if options.demo else ([], [])
    headers = [columns.header(key, str(label)) for key, label in columns.FOLLOW_UP_COLUMNS]
    out = ["\ufeff" + writer.writerow([*demo_header, *headers])]
    for group in groups:
        overall = roll_up(line.asof_status for line in group)
        for line in group:
            rec = line.recommendation
            overdue = bool(line.target_date and line.target_date < options.as_of
                           and line.asof_status not in FINAL_STATUSES)  # fmt: skip
            values = {
                "line_id": line.pk, "recommendation": rec.code, "title": rec.title,
                "paragraph": rec.paragraph.number, "theme": rec.theme.title,
                "agenda_points": ", ".join(sorted(p.key for p in rec.agenda_points.all())),
                "gcm_objectives": ", ".join(o.key for o in sorted(
                    rec.gcm_objectives.all(), key=lambda o: o.number)),
                "sdg_targets": ", ".join(t.key for t in sorted(
                    rec.sdg_targets.all(), key=lambda t: t.position)),
                "actor": line.actor.key, "actor_name": line.actor.name,
                "overall_status": overall.value, "status": line.asof_status,
                "status_since": line.asof_since, "note": line.asof_note or "",
                "evidence_links": "\n".join(line.asof_links or []),
                "target_date": line.target_date, "overdue": "yes" if overdue else "no",
                "last_update_id": line.last_update_id,
            }  # fmt: skip
            cells = [tables._csv_cell(values.get(key)) for key in columns.COLUMN_KEYS]
            out.append(writer.writerow([*demo_cell, *cells]))
    return "".join(out).encode("utf-8")


def options_for(query: str, as_of: datetime.date, user, demo=False) -> ExportOptions:
    request = RequestFactory().get("/export/")
    request.user = user
    filterset = recommendation_filter(QueryDict(query), request=request)
    assert filterset.is_valid(), filterset.errors
    return ExportOptions.from_filter(filterset, as_of=as_of, format="csv", demo=demo)


QUERIES = [
    "",
    "theme=rights&theme=labour",
    "agenda=distress-transit",
    "gcm=gcm-6&gcm=gcm-23",
    "sdg=sdg-10-7&sdg=sdg-17-18",
    "actor=governments",
    "actor=governments&actor_only=on",
    "actor=ilo&mentioned=on",
    "status=in-progress&status=planned",
    "q=migrant workers",
    "q=recruitment OR diaspora -women",
    "chapter=V",
    "paragraph=38",
    "overdue=on",
    "mine=on",
]


@pytest.mark.parametrize("query", QUERIES)
def test_every_path_writes_the_same_csv_for_every_filter(history, query):
    focal = get_user_model().objects.create_user("paths-focal")
    Profile.objects.create(user=focal, role=Role.FOCAL_POINT).actors.set(
        Actor.objects.filter(key__in=["governments", "ilo"])
    )
    for as_of in (D(2013, 7, 15), D(2014, 6, 1), D(2015, 1, 1), timezone.localdate()):
        options = options_for(query, as_of, focal)
        expected = reference_csv(options)
        assert len(expected.splitlines()) > 1 or query in ("mine=on", "overdue=on")
        served = b"".join(tables.csv_chunks(options))
        assert served == expected, (query, as_of)
        python = tables._head(options) + b"".join(tables.python_rows(options))
        assert python == expected, (query, as_of)


def test_the_demo_column_is_the_same_on_every_path(history):
    options = options_for("theme=rights", D(2015, 1, 1), history, demo=True)
    expected = reference_csv(options)
    assert expected.decode("utf-8-sig").startswith(f"{DEMO_COLUMN[0]},")
    assert b"".join(tables.csv_chunks(options)) == expected
    assert tables._head(options) + b"".join(tables.python_rows(options)) == expected


def test_the_command_writes_the_same_file_as_the_page(history, tmp_path):
    from tracker.reports import writing

    options = options_for("", D(2016, 5, 5), history)
    path = tmp_path / "sheet.csv"
    with path.open("wb") as out:
        writing.write(options, out)
    assert path.read_bytes() == reference_csv(options)
    rows = list(csv.reader(path.read_text("utf-8-sig").splitlines(keepends=True)))
    assert len(rows) == asof.active_lines_as_of(options.lines(), options.as_of).count() + 1


STATUS_SETS = [s for n in (1, 2, 3) for s in combinations_with_replacement(list(Status), n)]


def test_the_sql_roll_up_is_tracker_rollup(loaded_report):
    """Every set of up to three lines' statuses, rolled up by the sheet's window."""
    rows = " UNION ALL ".join(
        f"SELECT {i} AS recommendation_id, {i} AS position, 'R{i}' AS code,"
        f" '{status.value}' AS status"
        for i, statuses in enumerate(STATUS_SETS)
        for status in statuses
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT recommendation_id, {sheet_query._roll_up_sql()} FROM ({rows}) lines"  # noqa: S608
        )
        rolled = dict(cursor.fetchall())
    assert len(rolled) == len(STATUS_SETS) == 164
    for i, statuses in enumerate(STATUS_SETS):
        assert rolled[i] == roll_up(statuses), statuses


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's; SQLite streams from Python"
)
@pytest.mark.django_db(transaction=True)
def test_a_reader_that_stops_early_cancels_the_copy_and_the_connection_goes_on(
    loaded_report, monkeypatch
):
    monkeypatch.setattr(copying, "CHUNK_BYTES", 256)
    monkeypatch.setattr(copying, "QUEUED_CHUNKS", 1)
    options = ExportOptions(recommendations=Recommendation.objects.main(), as_of=D(2015, 1, 1))
    chunks = tables.csv_chunks(options)
    assert next(chunks).startswith("\ufeff".encode())
    assert next(chunks)
    chunks.close()  # the client went away
    assert FollowUpLine.objects.count() > 100  # the same connection answers
    whole = b"".join(tables.csv_chunks(options))
    assert whole == reference_csv(options)
