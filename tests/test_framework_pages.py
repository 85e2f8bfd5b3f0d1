"""The Global Compact objectives and SDG targets on the staff pages: a recommendation's
tags with their reasons, the dashboard's figures by objective and by target."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from hearings.models import GcmObjective, GcmTag, Recommendation, SdgTarget
from tracker import services
from tracker.models import Profile, Role, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(loaded_report):
    user = get_user_model().objects.create_user("frameworks-viewer", password="pw-for-tests")
    Profile.objects.create(user=user, role=Role.VIEWER)
    return user


def test_pages_need_a_login(client, loaded_report):
    for url in (reverse("dashboard"), reverse("recommendation", args=["R30a"])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/auth/login/" in response["Location"]


def test_a_recommendation_shows_its_tags_with_their_reasons(client, viewer):
    rec = Recommendation.objects.get(code="R30a")
    rec.gcm_tags.all().delete()
    rec.sdg_tags.all().delete()
    GcmTag.objects.create(
        recommendation=rec, objective=GcmObjective.objects.get(number=6), reason="Costs <b>."
    )
    rec.sdg_tags.create(target=SdgTarget.objects.get(code="10.c"), reason="Remittance costs.")
    client.force_login(viewer)
    page = client.get(reverse("recommendation", args=["R30a"])).content.decode()
    assert '<a href="/recommendations/?gcm=gcm-6">Objective 6</a>: Facilitate fair and ethical' in (
        page
    )
    assert "Why: Costs &lt;b&gt;." in page  # escaped like every text
    assert '<a href="/recommendations/?sdg=sdg-10-c">Target 10.c</a>: By 2030, reduce' in page
    assert "Why: Remittance costs." in page


def test_a_restatement_shows_no_tags_and_an_untagged_entry_says_none(client, viewer):
    client.force_login(viewer)
    restatement = Recommendation.objects.filter(restates__isnull=False).first()
    page = client.get(reverse("recommendation", args=[restatement.code])).content.decode()
    assert "Global Compact objectives" not in page
    untagged = Recommendation.objects.main().filter(gcm_tags=None, sdg_tags=None).first()
    page = client.get(reverse("recommendation", args=[untagged.code])).content.decode()
    facts = re.search(r"Global Compact objectives</dt><dd>(.*?)</dd>", page).group(1)
    assert facts == "none"


def test_the_dashboard_counts_recommendations_by_objective_and_by_target(client, viewer):
    rec = Recommendation.objects.main().filter(gcm_tags__objective__number=6).first()
    line = rec.follow_up_lines.first()
    services.status_update_record(
        line_id=line.pk, user=get_user_model().objects.create_superuser("root", password="pw"),
        status=Status.IN_PROGRESS, note="Begun.", effective_date=line.followed_since,
        evidence_links=[], seen_version=0,
    )  # fmt: skip
    client.force_login(viewer)
    response = client.get(reverse("dashboard"))
    bars = {bar["group"].number: bar for bar in response.context["gcm_chart"]}
    assert sorted(bars) == list(range(1, 24))
    tagged = Recommendation.objects.main().filter(gcm_tags__objective__number=6)
    assert bars[6]["total"] == tagged.count()
    assert {s["status"]: s["count"] for s in bars[6]["segments"]}[Status.IN_PROGRESS] >= 1
    targets = {bar["group"].code: bar["total"] for bar in response.context["sdg_chart"]}
    assert (
        targets["8.8"] == Recommendation.objects.main().filter(sdg_tags__target__code="8.8").count()
    )
    page = response.content.decode()
    assert "By objective of the Global Compact for Safe, Orderly and Regular Migration" in page
    assert "By target of the Sustainable Development Goals" in page
    assert re.search(r'<span title="Facilitate fair and ethical[^"]*">6\. Fair recruitment', page)
    assert re.search(r'<span title="Facilitate orderly, safe[^"]*">10\.7 Well-managed', page)
