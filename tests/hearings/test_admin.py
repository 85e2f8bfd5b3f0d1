"""The admin shows the report as data to every role and lets only coordinators correct it."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from hearings.models import Recommendation
from tracker.accounts.roles import ensure_role_groups
from tracker.models import Profile

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "focal-point", "coordinator"]


@pytest.fixture
def users(loaded_report):
    groups = ensure_role_groups()
    made = {}
    for role in ROLES:
        user = get_user_model().objects.create_user(role, password="pw-for-tests", is_staff=True)
        Profile.objects.create(user=user, role=role)
        user.groups.set([groups[role]])
        made[role] = user
    made["admin"] = get_user_model().objects.create_superuser("admin", password="pw-for-tests")
    return made


def change_form_data(rec, **changes):
    """What the admin's change form posts for a recommendation, with `changes` applied."""
    links = list(rec.addressee_links.all())
    data = {
        "paragraph": rec.paragraph_id,
        "item": rec.item,
        "title": rec.title,
        "text": rec.text,
        "theme": rec.theme_id,
        "agenda_points": [p.pk for p in rec.agenda_points.all()],
        "restates": rec.restates_id or "",
        "mentioned_actors": [a.pk for a in rec.mentioned_actors.all()],
        "position": rec.position,
        "addressee_links-TOTAL_FORMS": len(links),
        "addressee_links-INITIAL_FORMS": len(links),
        "addressee_links-MIN_NUM_FORMS": 1,
        "addressee_links-MAX_NUM_FORMS": 1000,
    }
    for index, link in enumerate(links):
        data[f"addressee_links-{index}-id"] = link.pk
        data[f"addressee_links-{index}-recommendation"] = rec.pk
        data[f"addressee_links-{index}-actor"] = link.actor_id
        if link.inferred:
            data[f"addressee_links-{index}-inferred"] = "on"
    for prefix, link, tags in (
        ("gcm_tags", "objective", list(rec.gcm_tags.all())),
        ("sdg_tags", "target", list(rec.sdg_tags.all())),
    ):
        data.update({
            f"{prefix}-TOTAL_FORMS": len(tags), f"{prefix}-INITIAL_FORMS": len(tags),
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000,
        })  # fmt: skip
        for index, tag in enumerate(tags):
            data[f"{prefix}-{index}-id"] = tag.pk
            data[f"{prefix}-{index}-recommendation"] = rec.pk
            data[f"{prefix}-{index}-{link}"] = getattr(tag, f"{link}_id")
            data[f"{prefix}-{index}-reason"] = tag.reason
    data.update(changes)
    return data


READ_URLS = [
    "admin:index",
    "admin:hearings_report_changelist",
    "admin:hearings_chapter_changelist",
    "admin:hearings_section_changelist",
    "admin:hearings_paragraph_changelist",
    "admin:hearings_theme_changelist",
    "admin:hearings_agendapoint_changelist",
    "admin:hearings_actor_changelist",
    "admin:hearings_recommendation_changelist",
]


@pytest.mark.parametrize("name", READ_URLS)
def test_anonymous_is_sent_to_login(client, loaded_report, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", [*ROLES, "admin"])
@pytest.mark.parametrize("name", READ_URLS)
def test_every_role_reads_every_page(client, users, role, name):
    client.force_login(users[role])
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("role", [*ROLES, "admin"])
def test_every_role_opens_a_recommendation_with_its_source(client, users, role):
    rec = Recommendation.objects.get(code="R30a")
    client.force_login(users[role])
    response = client.get(reverse("admin:hearings_recommendation_change", args=[rec.pk]))
    assert response.status_code == 200
    assert rec.text in response.content.decode()
    assert "30. Reducing the costs of labour migration" in response.content.decode()


@pytest.mark.parametrize(("role", "allowed"), [
    ("viewer", False), ("focal-point", False), ("coordinator", True), ("admin", True),
])  # fmt: skip
def test_only_coordinators_correct_a_recommendation(client, users, role, allowed):
    rec = Recommendation.objects.get(code="R30a")
    url = reverse("admin:hearings_recommendation_change", args=[rec.pk])
    client.force_login(users[role])
    response = client.post(url, change_form_data(rec, title="Corrected title"))
    rec.refresh_from_db()
    if allowed:
        assert response.status_code == 302, response.context["errors"]
        assert rec.title == "Corrected title"
        entry = LogEntry.objects.get_for_object(rec).latest("timestamp")
        assert entry.actor == users[role]
        assert entry.changes_dict["title"][1] == "Corrected title"
    else:
        assert response.status_code == 403
        assert rec.title != "Corrected title"


def test_correction_must_keep_the_text_verbatim(client, users):
    rec = Recommendation.objects.get(code="R30a")
    client.force_login(users["coordinator"])
    url = reverse("admin:hearings_recommendation_change", args=[rec.pk])
    response = client.post(url, change_form_data(rec, text="Not in the report"))
    assert response.status_code == 200
    assert "must occur verbatim in paragraph 30" in response.content.decode()
    rec.refresh_from_db()
    assert rec.text != "Not in the report"


def test_restatement_cannot_point_to_a_restatement(client, users):
    restatement = Recommendation.objects.filter(restates__isnull=False).first()
    other = Recommendation.objects.filter(restates__isnull=True, restatements=None).first()
    client.force_login(users["coordinator"])
    url = reverse("admin:hearings_recommendation_change", args=[other.pk])
    response = client.post(url, change_form_data(other, restates=restatement.pk))
    assert response.status_code == 200
    assert "is itself a restatement" in response.content.decode()


def test_nobody_deletes_recommendations_or_report_text(client, users):
    rec = Recommendation.objects.get(code="R30a")
    client.force_login(users["admin"])
    response = client.post(
        reverse("admin:hearings_recommendation_delete", args=[rec.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Recommendation.objects.filter(pk=rec.pk).exists()
    paragraph = rec.paragraph
    response = client.post(
        reverse("admin:hearings_paragraph_change", args=[paragraph.pk]), {"text": "changed"}
    )
    assert response.status_code == 403


def test_recommendations_are_searchable_and_filterable(client, users):
    client.force_login(users["viewer"])
    url = reverse("admin:hearings_recommendation_changelist")
    found = client.get(url, {"q": "recruitment agencies"}).context["cl"].result_list
    assert found
    assert all("recruitment agencies" in (r.text + r.title).lower() for r in found)
    rights_theme = Recommendation.objects.get(code="R37.1").theme_id
    rights = client.get(url, {"theme__id__exact": rights_theme})
    assert {r.theme.key for r in rights.context["cl"].result_list} == {"rights"}
    restatements = client.get(url, {"restatement": "yes"}).context["cl"].result_list
    assert restatements
    assert all(r.restates_id for r in restatements)


def test_recommendation_list_query_count_does_not_grow_with_rows(
    client, users, django_assert_num_queries
):
    client.force_login(users["viewer"])
    url = reverse("admin:hearings_recommendation_changelist")
    # 1 session, 2 user, 3 profile (time zone), 4-5 user and group permissions,
    # 6-9 the filter sidebar's choices (themes, agenda points, actors, chapters),
    # 10 the count (filtered only: show_full_result_count is off, so that a page at any
    # size counts once), 11 the page of rows with paragraph/theme/restates.
    with django_assert_num_queries(11):
        response = client.get(url, {"all": ""})
    assert len(response.context["cl"].result_list) == Recommendation.objects.count()
