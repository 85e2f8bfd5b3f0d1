"""The recommendation page with evidence files: one query for every update's files, with
who withdrew them, however many files and withdrawals there are."""

import pytest
from django.urls import reverse

from tests.evidence import samples
from tests.evidence.conftest import record_with_files
from tests.test_pages import DETAIL_QUERIES
from tracker.evidence import services
from tracker.evidence.models import EvidenceFile

pytestmark = pytest.mark.django_db


def test_the_recommendation_page_query_count_does_not_grow_with_files(
    client, users, line, django_assert_num_queries
):
    coordinator = users["coordinator"]
    record_with_files(line, coordinator, [samples.upload("first.pdf", samples.pdf())])
    client.force_login(coordinator)
    url = reverse("recommendation", args=[line.recommendation.code])
    # The core page's queries (tests/test_pages.py), the files among them.
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(url).status_code == 200
    for day in range(2, 6):
        record_with_files(line, users["focal-point"], [
            samples.upload(f"report-{day}.pdf", samples.pdf()),
            samples.upload(f"photo-{day}.png", samples.png()),
        ], day=day)  # fmt: skip
    for evidence_file in EvidenceFile.objects.order_by("pk")[:3]:
        services.evidence_file_withdraw(
            evidence_file_id=evidence_file.pk, user=coordinator, reason="Wrong line."
        )
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('class="evidence-file"') == 9
    assert html.count("withdrawn by Coordinator on") == 3
