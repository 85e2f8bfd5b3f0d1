"""How audit entries read (tracker.audit.changes): what django-auditlog stores when the
services change things, and the labels and display values the page and the CSV show."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from hearings.models import Actor, Recommendation, Theme
from tracker import services
from tracker.audit.changes import Change, describe
from tracker.models import Profile

from .conftest import as_user, page_text, set_focal_actors

pytestmark = pytest.mark.django_db

OCTOBER_3 = datetime.date(2014, 10, 3)


def latest(model, pk):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_pk=str(pk)
    ).order_by("-pk")


def test_what_auditlog_stores_for_the_services_changes(coordinator, focal, line):
    """Text for every value, ids for foreign keys, names for many-to-many objects: what
    tracker.audit.changes reads."""
    with as_user(coordinator):
        services.line_set_target_date(line=line, user=coordinator, target_date=OCTOBER_3)
    set_focal_actors(coordinator, focal, ["civil-society", "ilo", "iom"])
    entry = latest(type(line), line.pk).first()
    assert entry.actor == coordinator
    assert entry.changes == {"target_date": ["None", "2014-10-03"]}
    profile = Profile.objects.get(user=focal)
    stored = [e.changes for e in latest(Profile, profile.pk).reverse()]
    assert stored[-1] == {
        "actors": {
            "type": "m2m",
            "operation": "add",
            "objects": [
                "International Labour Organization",
                "International Organization for Migration",
            ],
        }
    }


def test_the_page_shows_labels_and_display_values(coordinator_client, coordinator, focal, line):
    with as_user(coordinator):
        services.line_set_target_date(line=line, user=coordinator, target_date=OCTOBER_3)
    set_focal_actors(coordinator, focal, ["civil-society", "ilo", "iom"])
    set_focal_actors(coordinator, focal, ["ilo"])
    page = page_text(coordinator_client.get(reverse("audit"), {"who": coordinator.pk}))
    assert "Target date: — → 3 October 2014" in page
    assert (
        "Reports for: added International Labour Organization, "
        "International Organization for Migration" in page
    )
    cs, iom = "Civil society organizations and NGOs", "International Organization for Migration"
    assert f"Reports for: removed {cs}, {iom}" in page or (
        f"Reports for: removed {iom}, {cs}" in page
    )
    assert "Ana Lima (coord)" in page
    assert "Update · Follow-up line · R42.1 · Civil society" in page
    assert "target_date" not in page
    assert "actors:" not in page


def test_booleans_choices_and_foreign_keys_read_as_words(coordinator, focal, line):
    theme = Theme.objects.exclude(pk=line.recommendation.theme_id).order_by("number").first()
    rec = line.recommendation
    with as_user(coordinator):
        line.addressed = False
        line.added_by = coordinator
        line.save()
        [line_entry] = describe(latest(type(line), line.pk)[:1])
        profile = Profile.objects.get(user=focal)
        profile.role = "coordinator"
        profile.save()
        old_theme = rec.theme
        rec.theme = theme
        rec.save()
    assert set(line_entry.changes) == {
        Change("Addressed", "yes", "no"),
        Change("Added by", None, "coord"),
    }
    [role_entry] = describe(latest(Profile, profile.pk)[:1])
    assert role_entry.changes == [Change("Role", "Focal point", "Coordinator")]
    [rec_entry] = describe(latest(Recommendation, rec.pk)[:1])
    assert rec_entry.changes == [Change("Theme", old_theme.title, theme.title)]
    assert rec_entry.kind == "Recommendation"


def test_date_times_are_shown_in_the_given_time_zone(coordinator, line):
    rec = line.recommendation
    with as_user(coordinator):
        rec.withdrawn_at = datetime.datetime(2014, 10, 3, 22, 30, tzinfo=datetime.UTC)
        rec.save()
    entries = latest(Recommendation, rec.pk)[:1]
    [tokyo] = describe(entries, tz=datetime.timezone(datetime.timedelta(hours=9), "JST"))
    assert tokyo.changes == [Change("Withdrawn", None, "4 October 2014 07:30 JST")]
    [utc] = describe(entries, tz=datetime.UTC)
    assert utc.changes[0].after == "3 October 2014 22:30 UTC"


def manual_entry(instance, changes, **fields):
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=str(instance.pk),
        object_id=instance.pk,
        object_repr=str(instance),
        action=LogEntry.Action.UPDATE,
        changes=changes,
        **fields,
    )


def test_ids_are_resolved_in_bulk_and_unknown_ones_said_so(coordinator, focal, line):
    profile = Profile.objects.get(user=focal)
    ilo, iom = Actor.objects.get(key="ilo"), Actor.objects.get(key="iom")
    entries = [
        manual_entry(profile, {"actors": {"type": "m2m", "operation": "add", "objects": [ilo.pk]}}),
        manual_entry(profile, {"actors": [ilo.pk, iom.pk, 999_999]}),
        manual_entry(line, {"added_by": [str(coordinator.pk), str(focal.pk)]}),
        manual_entry(line, {"added_by": ["999999", "None"], "nonsense": "x"}),
    ]
    views = describe(entries)  # one query per related model: actors, then users
    assert views[0].changes == [
        Change("Reports for", None, "International Labour Organization", "add")
    ]
    assert views[1].changes == [
        Change(
            "Reports for",
            None,
            "International Labour Organization, International Organization for Migration, "
            "deleted (id 999999)",
            "set",
        )
    ]
    assert views[2].changes == [Change("Added by", "coord", "focal")]
    assert views[3].changes == [
        Change("Added by", "deleted (id 999999)", None),
        Change("Nonsense", None, "x"),
    ]


def test_bulk_look_ups_make_one_query_per_related_model(
    django_assert_num_queries, coordinator, focal, line
):
    profile = Profile.objects.get(user=focal)
    ilo = Actor.objects.get(key="ilo")
    entries = [
        manual_entry(profile, {"actors": {"type": "m2m", "operation": "add", "objects": [ilo.pk]}})
        for _ in range(5)
    ] + [manual_entry(line, {"added_by": ["None", str(coordinator.pk)]}) for _ in range(5)]
    entries = list(LogEntry.objects.filter(pk__in=[e.pk for e in entries]).select_related(
        "actor", "content_type"
    ))  # fmt: skip
    with django_assert_num_queries(2):
        describe(entries)


def test_who_made_a_change_without_a_user(coordinator, line):
    loaded = manual_entry(line, {"addressed": ["True", "False"]})
    locked = manual_entry(
        line, {"login": ["allowed", "locked"]}, additional_data={"event": "login-lockout"}
    )
    unlocked = manual_entry(
        line,
        {"login": ["locked", "unlocked"]},
        additional_data={"event": "login-lockout"},
        actor=coordinator,
    )
    views = describe([loaded, locked, unlocked])
    assert [v.who for v in views] == [
        "the catalogue loader or command line",
        "failed logins",
        "Ana Lima (coord)",
    ]
    assert views[1].changes == [Change("Login", "allowed", "locked")]


def test_a_creation_lists_its_initial_values(coordinator_client, coordinator, line):
    with as_user(coordinator):
        services.line_set_target_date(line=line, user=coordinator, target_date=None)
        Theme.objects.create(key="new-theme", number=99, title="A theme for the test")
    response = coordinator_client.get(reverse("audit"), {"kind": "hearings.theme"})
    page = page_text(response)
    assert "Create · Theme · A theme for the test Initial values" in page
    assert "Title: A theme for the test" in page
    assert timezone.now().strftime("%Y") in page


def test_changes_read_in_the_models_order_of_fields_whatever_order_was_stored(line):
    """django-auditlog diffs a set of fields, so the stored order moves when fields are
    added anywhere in the project; the page shows them in the model's order."""
    rec = Recommendation.objects.get(code="R30a")
    entry = manual_entry(
        rec,
        {"withdrawn_at": ["None", "x"], "unknown": ["a", "b"], "title": ["A", "B"],
         "code": ["R1", "R30a"]},
    )  # fmt: skip
    [view] = describe([entry])
    assert [c.label for c in view.changes] == ["Reference code", "Title", "Withdrawn", "Unknown"]
