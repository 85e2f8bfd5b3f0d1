"""The as-of rule at the Dialogue's dates: which lines existed on a date, in the same
words everywhere (README, the report's annex, the Excel Summary sheet)."""

import csv
import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from hearings.loading import load_report
from hearings.models import Actor, Recommendation
from tests.test_follow_up import set_addressees
from tracker import services
from tracker.models import FollowUpLine, Profile, Role, Status
from tracker.reports import asof, document
from tracker.reports.columns import COLUMN_KEYS

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
DIALOGUE = datetime.date(2013, 10, 3)
D = datetime.date


@pytest.fixture
def coordinator(loaded_report):
    user = get_user_model().objects.create_user("as-of-coordinator", password="pw-for-tests")
    Profile.objects.create(user=user, role=Role.COORDINATOR)
    return user


def csv_rows(client, as_of, **filters):
    response = client.get(
        reverse("export"),
        {"download": "1", "format": "csv", "as_of": as_of.isoformat(), "grouping": "theme",
         **filters},
    )  # fmt: skip
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return [dict(zip(COLUMN_KEYS, row, strict=True)) for row in rows[1:]]


def test_a_report_as_of_the_dialogue_lists_every_addressed_line(client, coordinator):
    """A fresh install: the catalogue's lines exist from the hearings, so the report as of
    3 October 2013 lists them all, each with no information (it listed none before)."""
    client.force_login(coordinator)
    rows = csv_rows(client, DIALOGUE)
    addressed = FollowUpLine.objects.active().filter(
        recommendation__in=Recommendation.objects.main()
    )
    assert len(rows) == addressed.count() > 100
    assert {row["status"] for row in rows} == {Status.NO_INFORMATION}
    labour = csv_rows(client, D(2014, 10, 3), theme="labour")
    assert len(labour) == addressed.filter(recommendation__theme__key="labour").count()


def test_totals_as_of_a_date_equal_the_lines_that_existed_then(coordinator):
    lines = FollowUpLine.objects.all()
    statuses = asof.recommendation_statuses_as_of(lines, DIALOGUE)
    assert set(statuses.values()) == {Status.NO_INFORMATION}
    counted = asof.active_lines_as_of(lines, DIALOGUE).count()
    assert counted == FollowUpLine.objects.active().count()


def test_an_added_line_counts_from_its_followed_since_date_or_first_update(coordinator):
    rec = Recommendation.objects.get(code="R30a")
    mexico = Actor.objects.get(key="mex")
    line = services.line_add(
        recommendation=rec, actor=mexico, user=coordinator, followed_since=D(2015, 1, 1)
    )
    existed = set(
        asof.lines_as_of(FollowUpLine.objects.all(), D(2014, 12, 31)).values_list("pk", flat=True)
    )
    assert line.pk not in existed
    assert line.pk in asof.lines_as_of(FollowUpLine.objects.all(), D(2015, 1, 1)).values_list(
        "pk", flat=True
    )
    services.status_update_record(
        line_id=line.pk, user=coordinator, status=Status.PLANNED, note="Planned early",
        effective_date=D(2014, 6, 1), evidence_links=[], seen_version=0,
    )  # fmt: skip
    early = asof.lines_as_of(FollowUpLine.objects.filter(pk=line.pk), D(2014, 6, 1)).get()
    assert early.asof_status == Status.PLANNED


def test_an_added_line_defaults_to_the_day_it_was_added(client, coordinator):
    client.force_login(coordinator)
    rec = Recommendation.objects.get(code="R30a")
    response = client.post(
        reverse("line-add", args=[rec.code]), {"actor": Actor.objects.get(key="bra").pk}
    )
    assert response.status_code == 302
    line = FollowUpLine.objects.get(recommendation=rec, actor__key="bra")
    assert line.followed_since == timezone.localdate()


@pytest.mark.parametrize("date", ["2013-07-14", "2999-01-01"])
def test_followed_since_is_not_before_the_hearings_nor_in_the_future(client, coordinator, date):
    client.force_login(coordinator)
    rec = Recommendation.objects.get(code="R30a")
    response = client.post(
        reverse("line-add", args=[rec.code]),
        {"actor": Actor.objects.get(key="bra").pk, "followed_since": date},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["followed_since"]
    assert not FollowUpLine.objects.filter(recommendation=rec, actor__key="bra").exists()


def test_a_dropped_actor_stays_in_reports_for_the_dates_it_was_addressed(coordinator, data_dir):
    rec = Recommendation.objects.get(code="R25.2")  # addressed to gfmd and governments
    set_addressees(data_dir, "R25.2", ["governments"])
    load_report(data_dir)
    line = FollowUpLine.objects.get(recommendation=rec, actor__key="gfmd")
    today = timezone.localdate()
    assert (line.addressed, line.dropped_on) == (False, today)
    from auditlog.models import LogEntry

    change = LogEntry.objects.get_for_object(line).latest("timestamp").changes_dict
    assert change["dropped_on"] == ["None", today.isoformat()]  # when it changed, audited
    lines = FollowUpLine.objects.filter(recommendation=rec)
    before = asof.active_lines_as_of(lines, today - datetime.timedelta(days=1))
    assert set(before.values_list("actor__key", flat=True)) == {"gfmd", "governments"}
    now = asof.active_lines_as_of(lines, today)
    assert set(now.values_list("actor__key", flat=True)) == {"governments"}


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_rule_is_stated_in_the_same_words_everywhere(client, coordinator):
    rule = _words(str(asof.AS_OF_RULE))
    assert "then by the time they were recorded" in rule  # the tie-break of the one ordering
    readme = _words(re.sub(r"^\s*", " ", (ROOT / "README.md").read_text(), flags=re.M))
    assert rule in readme
    assert rule in [_words(p) for p in document.method_paragraphs()]
    client.force_login(coordinator)
    response = client.get(
        reverse("export"),
        {"download": "1", "format": "xlsx", "as_of": "2014-01-01", "grouping": "theme"},
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = [c for row in book["Summary"].iter_rows(values_only=True) for c in row if c]
    assert rule in [_words(str(c)) for c in summary]


@pytest.mark.django_db(transaction=True)
def test_existing_lines_get_their_dates_by_a_data_migration(loaded_report):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("tracker", "0005_dates_in_range")])
    old = executor.loader.project_state([("tracker", "0005_dates_in_range")]).apps
    Line = old.get_model("tracker", "FollowUpLine")
    user = old.get_model("auth", "User").objects.create(username="old-coordinator")
    catalogue, dropped = Line.objects.filter(added_by__isnull=True).order_by("pk")[:2]
    Line.objects.filter(pk=dropped.pk).update(addressed=False)
    added = Line.objects.create(
        recommendation_id=catalogue.recommendation_id,
        actor_id=Actor.objects.get(key="phl").pk,
        added_by=user,
        created_at=datetime.datetime(2015, 3, 1, 23, 30, tzinfo=datetime.UTC),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    lines = FollowUpLine.objects.in_bulk([catalogue.pk, dropped.pk, added.pk])
    assert lines[catalogue.pk].followed_since == D(2013, 7, 15)
    assert lines[catalogue.pk].dropped_on is None
    assert lines[added.pk].followed_since == D(2015, 3, 1)
    # No audit entry says when it was dropped: the day of the migration.
    assert lines[dropped.pk].dropped_on == timezone.now().astimezone(datetime.UTC).date()


def test_the_database_keeps_dropped_on_and_addressed_in_step(coordinator):
    from django.db import IntegrityError, transaction

    line = FollowUpLine.objects.filter(added_by__isnull=True).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpLine.objects.filter(pk=line.pk).update(addressed=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpLine.objects.filter(pk=line.pk).update(dropped_on=D(2015, 1, 1))
    FollowUpLine.objects.filter(pk=line.pk).update(addressed=False, dropped_on=D(2015, 1, 1))
