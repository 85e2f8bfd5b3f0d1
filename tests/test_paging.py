"""The list's pages at any depth (tracker.paging): numbered first pages, then pages that
continue from the last row shown; counts exact where known, capped or estimated past a
cap; broken links answered with a clear message."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from hearings.models import Recommendation
from tests.listing import listed
from tracker import paging
from tracker.models import Profile, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client, loaded_report):
    user = get_user_model().objects.create_user("paging-viewer", password="pw-for-tests")
    Profile.objects.create(user=user, role=Role.VIEWER)
    client.force_login(user)
    return user


@pytest.fixture
def two_numbered_pages(monkeypatch):
    monkeypatch.setattr(paging, "NUMBERED_PAGES", 2)


def main_in_order(*ordering):
    return list(Recommendation.objects.main().order_by(*ordering).values_list("code", flat=True))


@pytest.mark.parametrize(
    ("sort", "ordering"),
    [
        (None, ("position", "pk")),
        ("title", ("title", "pk")),
        ("-title", ("-title", "-pk")),
        ("status", ("progress__status", "pk")),
        ("-status", ("-progress__status", "-pk")),
    ],
)
def test_following_next_past_the_numbered_pages_lists_every_row_once_in_order(
    client, viewer, two_numbered_pages, sort, ordering
):
    query = {"sort": sort} if sort else {}
    first = client.get(reverse("recommendations"), query)
    rows = [rec.code for rec in listed(first)]
    assert rows == main_in_order(*ordering)
    # Page 2 is the last numbered one: its "Next" continues from its last row.
    second = client.get(reverse("recommendations"), {**query, "page": 2})
    next_link = second.context["page"].next_query
    assert "after=" in next_link
    assert "page=" not in next_link
    third = client.get(f"{reverse('recommendations')}?{next_link}")
    assert third.status_code == 200
    assert third.context["page"].number is None
    assert [r.code for r in third.context["page"].object_list] == rows[50:75]
    assert "a later page" in third.content.decode()


def test_a_later_page_keeps_the_filters_and_offers_the_first_page(
    client, viewer, two_numbered_pages
):
    response = client.get(reverse("recommendations"), {"kind": "all", "page": 2})
    later = client.get(f"{reverse('recommendations')}?{response.context['page'].next_query}")
    nav = re.search(r'<nav class="pagination".*?</nav>', later.content.decode(), re.S).group(0)
    links = [parse_qs(urlsplit(unescape(h)).query) for h in re.findall(r'href="([^"]*)"', nav)]
    assert {"kind": ["all"]} in links  # "First page"
    assert all(link["kind"] == ["all"] for link in links)


@pytest.mark.parametrize(
    "cursor", ["not-base64!", "bm90IGpzb24", "WyJ0aXRsZSxwayIsWzEsMl1d", "W10", "eyJhIjoxfQ"]
)
def test_a_broken_or_foreign_later_page_link_is_refused_with_a_message(client, viewer, cursor):
    response = client.get(reverse("recommendations"), {"after": cursor})
    assert response.status_code == 400
    assert "This link to a later page is broken or out of date" in response.content.decode()


def test_a_link_made_for_another_sort_is_refused(client, viewer, two_numbered_pages):
    page2 = client.get(reverse("recommendations"), {"sort": "title", "page": 2})
    cursor = parse_qs(page2.context["page"].next_query)["after"][0]
    response = client.get(reverse("recommendations"), {"sort": "status", "after": cursor})
    assert response.status_code == 400


def test_past_the_cap_the_count_says_so(client, viewer, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    response = client.get(reverse("recommendations"), {"q": "migrants"})
    page = response.context["page"]
    text = response.content.decode()
    if connection.vendor == "postgresql":
        # PostgreSQL's own estimate of the rows, in two significant figures.
        assert page.count_is in ("about", "more")
    else:
        assert page.count_is == "more"
        assert "More than 10 recommendations" in text
    assert "Export these recommendations" in text
    assert len(listed(response)) > 10


def test_the_unfiltered_count_is_exact_from_the_figures(client, viewer, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    page = client.get(reverse("recommendations")).context["page"]
    assert page.count_is == "exact"
    assert page.count == Recommendation.objects.main().count()
    rights = client.get(reverse("recommendations"), {"theme": "rights", "status": "no-information"})
    expected = Recommendation.objects.main().filter(
        theme__key="rights", progress__status="no-information"
    )
    assert rights.context["page"].count == expected.count()
    assert rights.context["page"].count_is == "exact"


def test_round_figure():
    assert [paging.round_figure(n) for n in (7, 99, 123, 12_345, 267_000, 1_049)] == [
        7, 99, 120, 12_000, 270_000, 1_000,
    ]  # fmt: skip
