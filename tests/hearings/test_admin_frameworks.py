"""Coordinators correct a recommendation's Global Compact and SDG tags in the admin, under
the catalogue file's rules; every role reads the objectives and targets."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from hearings.models import GcmObjective, GcmTag, Recommendation, SdgTag, SdgTarget
from tests.hearings.test_admin import change_form_data, users  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def with_tags(rec, gcm=None, sdg=None, **changes):
    """The change form's data with the tag formsets replaced: [(objective pk, reason)]."""
    data = change_form_data(rec, **changes)
    for prefix, link, tags, existing in (
        ("gcm_tags", "objective", gcm, list(rec.gcm_tags.all())),
        ("sdg_tags", "target", sdg, list(rec.sdg_tags.all())),
    ):
        if tags is None:
            continue
        for key in [k for k in data if k.startswith(f"{prefix}-")]:
            del data[key]
        # The existing tags are deleted, the wanted ones added as new forms.
        forms = [(tag.pk, getattr(tag, f"{link}_id"), tag.reason, True) for tag in existing]
        forms += [("", pk, reason, False) for pk, reason in tags]
        data[f"{prefix}-TOTAL_FORMS"] = len(forms)
        data[f"{prefix}-INITIAL_FORMS"] = len(existing)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for index, (pk, target, reason, delete) in enumerate(forms):
            data[f"{prefix}-{index}-id"] = pk
            data[f"{prefix}-{index}-recommendation"] = rec.pk
            data[f"{prefix}-{index}-{link}"] = target
            data[f"{prefix}-{index}-reason"] = reason
            if delete:
                data[f"{prefix}-{index}-DELETE"] = "on"
    return data


def objective(number):
    return GcmObjective.objects.get(number=number).pk


def target(code):
    return SdgTarget.objects.get(code=code).pk


def url_of(rec):
    return reverse("admin:hearings_recommendation_change", args=[rec.pk])


@pytest.mark.parametrize(("role", "allowed"), [
    ("viewer", False), ("focal-point", False), ("coordinator", True), ("admin", True),
])  # fmt: skip
def test_only_coordinators_correct_the_tags(client, users, role, allowed):  # noqa: F811
    rec = Recommendation.objects.get(code="R30a")
    client.force_login(users[role])
    data = with_tags(
        rec, gcm=[(objective(6), "Lower costs of recruitment.")], sdg=[(target("10.c"), "Costs.")]
    )
    response = client.post(url_of(rec), data)
    tags = (
        list(rec.gcm_tags.values_list("objective__number", "reason")),
        list(rec.sdg_tags.values_list("target__code", "reason")),
    )
    if allowed:
        assert response.status_code == 302, response.context["errors"]
        assert tags == ([(6, "Lower costs of recruitment.")], [("10.c", "Costs.")])
        created = LogEntry.objects.get_for_model(GcmTag).filter(action=LogEntry.Action.CREATE)
        assert created.get().actor == users[role]
    else:
        assert response.status_code == 403
        assert tags != ([(6, "Lower costs of recruitment.")], [("10.c", "Costs.")])


def test_a_coordinator_corrects_a_reason_and_removes_a_tag(client, users):  # noqa: F811
    rec = Recommendation.objects.get(code="R30a")
    rec.gcm_tags.all().delete()
    GcmTag.objects.create(recommendation=rec, objective_id=objective(6), reason="Old.")
    GcmTag.objects.create(recommendation=rec, objective_id=objective(7), reason="Wrong fit.")
    client.force_login(users["coordinator"])
    data = change_form_data(rec)
    first, second = list(rec.gcm_tags.all())
    deleted_before = LogEntry.objects.get_for_model(GcmTag).filter(action=LogEntry.Action.DELETE)
    deleted_before = deleted_before.count()
    index = {data[f"gcm_tags-{i}-id"]: i for i in range(2)}
    data[f"gcm_tags-{index[first.pk]}-reason"] = "Corrected reason."
    data[f"gcm_tags-{index[second.pk]}-DELETE"] = "on"
    response = client.post(url_of(rec), data)
    assert response.status_code == 302, response.context["errors"]
    assert list(rec.gcm_tags.values_list("objective__number", "reason")) == [
        (6, "Corrected reason.")
    ]
    log = LogEntry.objects.get_for_model(GcmTag)
    assert log.filter(action=LogEntry.Action.UPDATE).get().changes_dict["reason"] == [
        "Old.", "Corrected reason."
    ]  # fmt: skip
    assert log.filter(action=LogEntry.Action.DELETE).count() == deleted_before + 1


def test_the_files_rules_hold_in_the_admin(client, users):  # noqa: F811
    rec = Recommendation.objects.get(code="R30a")
    client.force_login(users["coordinator"])
    before = list(rec.gcm_tags.values_list("objective", "reason"))
    four = [(objective(n), "A reason.") for n in (1, 2, 3, 4)]
    cases = [
        (with_tags(rec, gcm=four), "At most 3 per recommendation"),
        (
            with_tags(rec, gcm=[(objective(6), "One."), (objective(6), "Twice.")]),
            "Please correct the duplicate data for objective",
        ),
        (with_tags(rec, gcm=[(objective(6), "Two\nlines.")]), "cannot hold a line break"),
        (with_tags(rec, gcm=[(objective(6), "Bell\x07.")]), "U+0007"),
        (with_tags(rec, gcm=[(objective(6), "")]), "This field is required"),
    ]
    for data, message in cases:
        response = client.post(url_of(rec), data)
        assert response.status_code == 200, message
        assert message in response.content.decode(), message
    assert list(rec.gcm_tags.values_list("objective", "reason")) == before


def test_a_restatement_is_not_tagged_in_the_admin(client, users):  # noqa: F811
    restatement = Recommendation.objects.filter(restates__isnull=False).first()
    client.force_login(users["coordinator"])
    response = client.post(
        url_of(restatement), with_tags(restatement, sdg=[(target("10.7"), "A reason.")])
    )
    assert response.status_code == 200
    assert "A restatement is not tagged" in response.content.decode()
    assert not SdgTag.objects.filter(recommendation=restatement).exists()


def test_the_change_form_shows_the_tags_with_their_reasons(client, users):  # noqa: F811
    rec = Recommendation.objects.get(code="R30a")
    rec.gcm_tags.all().delete()
    GcmTag.objects.create(recommendation=rec, objective_id=objective(6), reason="Recruitment.")
    client.force_login(users["viewer"])
    page = client.get(url_of(rec)).content.decode()
    assert "Global Compact objectives" in page
    assert "SDG targets" in page
    assert "Recruitment." in page


@pytest.mark.parametrize("role", ["viewer", "focal-point", "coordinator", "admin"])
def test_every_role_reads_the_objectives_and_targets(client, users, role):  # noqa: F811
    client.force_login(users[role])
    objectives = client.get(reverse("admin:hearings_gcmobjective_changelist"))
    assert objectives.status_code == 200
    assert len(objectives.context["cl"].result_list) == 23
    targets = client.get(reverse("admin:hearings_sdgtarget_changelist"))
    assert [t.code for t in targets.context["cl"].result_list][:3] == ["1.3", "3.8", "4.4"]


def test_coordinators_correct_a_short_title_but_add_or_delete_nothing(client, users):  # noqa: F811
    gcm6 = GcmObjective.objects.get(number=6)
    client.force_login(users["coordinator"])
    url = reverse("admin:hearings_gcmobjective_change", args=[gcm6.pk])
    response = client.post(url, {"title": gcm6.title, "short_title": "Fair recruitment"})
    assert response.status_code == 302
    gcm6.refresh_from_db()
    assert gcm6.short_title == "Fair recruitment"
    updated = LogEntry.objects.get_for_object(gcm6).filter(action=LogEntry.Action.UPDATE)
    assert updated.get().actor == users["coordinator"]
    assert client.get(reverse("admin:hearings_gcmobjective_add")).status_code == 403
    assert client.get(reverse("admin:hearings_sdgtarget_add")).status_code == 403
    delete = reverse("admin:hearings_sdgtarget_delete", args=[target("10.7")])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.force_login(users["viewer"])
    response = client.post(url, {"title": gcm6.title, "short_title": "Changed by a viewer"})
    assert response.status_code == 403
