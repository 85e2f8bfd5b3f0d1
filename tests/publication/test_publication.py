"""What is public, decided once (tracker.publication): the switch, published notes, what a
coordinator keeps out, and the version that every public page's cache is keyed on."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from hearings.models import Recommendation
from tracker.publication import services, versions, visibility
from tracker.publication.models import NotePublication, PublicSite


def test_the_site_is_off_until_a_coordinator_switches_it_on_and_that_is_audited(users):
    assert visibility.site().is_on is False
    with pytest.raises(PermissionDenied):
        services.site_set(user=users["focal-point"], is_on=True)
    assert services.site_set(user=users["coordinator"], is_on=True) is True
    assert services.site_set(user=users["coordinator"], is_on=True) is False
    site = PublicSite.load()
    assert site.is_on
    assert site.changed_by == users["coordinator"]
    # Who switched it is the row's changed_by here; a page's request names the log's actor.
    entry = LogEntry.objects.get_for_object(site).latest("timestamp")
    assert entry.changes_dict["is_on"] == ["False", "True"]


def test_the_recorder_may_publish_as_they_record_and_only_coordinators_later(users, record):
    focal = users["focal-point"]
    published = record(focal, publish=True)
    assert NotePublication.objects.get(update=published).published_by == focal
    private = record(focal, note="Internal: the minister has not answered.")
    assert not NotePublication.objects.filter(update=private).exists()
    with pytest.raises(PermissionDenied):
        services.note_publish(update=private, user=focal)
    with pytest.raises(PermissionDenied):
        services.note_withdraw(update=published, user=focal)
    assert services.note_publish(update=private, user=users["coordinator"]) is True
    assert services.note_withdraw(update=published, user=users["coordinator"]) is True
    assert list(visibility.published_updates()) == [private]
    # The update itself is untouched: publication is its own fact, and audited.
    published.refresh_from_db()
    assert published.note == "Hotline opened in three countries."
    assert LogEntry.objects.filter(content_type__model="notepublication").count() == 3


def test_a_withheld_recommendation_takes_its_restatements_lines_and_notes_with_it(users, record):
    coordinator = users["coordinator"]
    rec = Recommendation.objects.get(code="R24.1")
    line = rec.follow_up_lines.first()
    update = record(coordinator, on=line, publish=True)
    restatements = list(Recommendation.objects.filter(restates=rec))
    assert restatements, "R24.1 is restated in the key findings"
    with pytest.raises(ValidationError):
        services.withhold(user=coordinator, recommendation=rec, reason="  ")
    with pytest.raises(PermissionDenied):
        services.withhold(user=users["focal-point"], recommendation=rec, reason="Sensitive")
    services.withhold(user=coordinator, recommendation=rec, reason="Government's reply pending")
    public = set(visibility.recommendations())
    assert rec not in public
    assert not public & set(restatements)
    assert not visibility.lines().filter(recommendation=rec).exists()
    assert update not in visibility.published_updates()
    assert line.pk in visibility.withheld_line_ids()
    assert services.release(user=coordinator, recommendation=rec) is True
    assert rec in set(visibility.recommendations())
    assert update in visibility.published_updates()


def test_a_withheld_line_leaves_the_rest_of_its_recommendation_public(users, line):
    services.withhold(user=users["coordinator"], line=line, reason="Sensitive talks")
    assert line.recommendation in set(visibility.recommendations())
    assert not visibility.lines().filter(pk=line.pk).exists()
    assert visibility.withheld_line_ids() == {line.pk}


def test_every_committed_public_write_moves_the_version_and_a_rolled_back_one_does_not(
    users, record
):
    before = versions.current()
    record(users["coordinator"])
    after_update = versions.current()
    assert after_update > before

    def fails_after_recording():
        with transaction.atomic():
            record(users["coordinator"])
            raise RuntimeError("the write fails after recording")

    with pytest.raises(RuntimeError):
        fails_after_recording()
    assert versions.current() == after_update
    services.site_set(user=users["coordinator"], target_dates_public=True)
    assert versions.current() > after_update
