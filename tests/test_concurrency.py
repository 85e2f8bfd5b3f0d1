"""Writers at the same moment, on real concurrent connections (PostgreSQL): no lost update,
no wrong current status or roll-up, and a long import never holds up other people's
updates (the dashboard's figures are insert-only tallies, tracker.tallies)."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction

from tracker import services, tallies
from tracker.models import FollowUpLine, Profile, RecommendationProgress, Role, Status
from tracker.rollup import roll_up

# Real concurrency needs a database that lets two connections write at once; SQLite
# serializes every writer, so these run on PostgreSQL only (CI runs both databases).
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
]
DAY = datetime.date(2015, 6, 1)
WAIT = 20  # seconds: far more than any of these writes takes; reached only if one blocks


@pytest.fixture
def coordinator(loaded_report):
    user = get_user_model().objects.create_user("concurrent-coordinator", password="pw")
    Profile.objects.create(user=user, role=Role.COORDINATOR)
    return user


def in_thread(target, *args):
    """Run target in a thread with its own database connection; returns (thread, result)."""
    result = {}

    def run():
        try:
            result["value"] = target(*args)
        except Exception as error:  # reported to the test
            result["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def record(line, user, status, version, barrier=None):
    if barrier is not None:
        barrier.wait(timeout=WAIT)
    return services.status_update_record(
        line_id=line.pk,
        user=user,
        status=status,
        note=f"Recorded as {status}.",
        effective_date=DAY,
        evidence_links=[],
        seen_version=version,
    )


def test_two_updates_on_one_line_at_the_same_moment(coordinator):
    line = FollowUpLine.objects.followed().active().first()
    barrier = threading.Barrier(2)
    runs = [
        in_thread(record, line, coordinator, status, line.update_count, barrier)
        for status in (Status.PLANNED, Status.IN_PROGRESS)
    ]
    for thread, _result in runs:
        thread.join(WAIT)
    results = [result for _thread, result in runs]
    landed = [r["value"] for r in results if "value" in r]
    refused = [r["error"] for r in results if "error" in r]
    # Both read the same version: one lands, the other is told the line moved on.
    assert len(landed) == 1
    assert len(refused) == 1
    assert isinstance(refused[0], services.StaleLine)
    assert refused[0].newer == [landed[0]]
    line.refresh_from_db()
    assert line.update_count == 1
    assert line.status == landed[0].status == line.counted_status
    progress = RecommendationProgress.objects.get(recommendation=line.recommendation)
    statuses = line.recommendation.follow_up_lines.active().values_list("status", flat=True)
    assert progress.status == roll_up(statuses)
    assert tallies.figures() == tallies.expected()


def test_updates_from_fresh_forms_both_land_in_the_one_ordering(coordinator):
    line = FollowUpLine.objects.followed().active().first()
    first = record(line, coordinator, Status.PLANNED, 0)
    second = record(line, coordinator, Status.IN_PROGRESS, 1)
    line.refresh_from_db()
    assert list(line.updates.order_by("effective_date", "recorded_at", "id")) == [first, second]
    assert line.status == Status.IN_PROGRESS


def test_a_long_import_does_not_hold_up_another_update(coordinator):
    lines = list(FollowUpLine.objects.followed().active().order_by("recommendation_id")[:40])
    importing, other = lines[:-1], lines[-1]
    assert other.recommendation_id not in {line.recommendation_id for line in importing}
    opened, release = threading.Event(), threading.Event()

    def long_import():
        with transaction.atomic():  # as tracker.imports.applying does: all or nothing
            for line in importing:
                record(line, coordinator, Status.IN_PROGRESS, line.update_count)
            services.progress_refresh({line.recommendation_id for line in importing})
            opened.set()
            assert release.wait(WAIT)
        return len(importing)

    importer, imported = in_thread(long_import)
    assert opened.wait(WAIT)
    # While the import's transaction is open, holding its rows and its tallies, another
    # focal point records on another line: it does not wait for the import.
    writer, written = in_thread(record, other, coordinator, Status.PLANNED, other.update_count)
    writer.join(WAIT)
    finished_while_open = not writer.is_alive() and importer.is_alive()
    release.set()
    importer.join(WAIT)
    assert finished_while_open
    assert "value" in written, written.get("error")
    assert imported.get("value") == len(importing), imported.get("error")
    assert FollowUpLine.objects.get(pk=other.pk).status == Status.PLANNED
    assert tallies.figures() == tallies.expected()
