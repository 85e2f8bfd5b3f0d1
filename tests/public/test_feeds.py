"""Atom feeds of published updates (/feeds/): valid Atom, stable ids, only what is
published on public lines, per actor, theme and Global Compact objective; 304; off."""

import xml.etree.ElementTree as ET

import pytest

from hearings.models import GcmObjective, GcmTag, Recommendation
from tracker.publication import services as publication

from .opendata_support import (
    INTERNAL_NOTE,
    PUBLISHED_NOTE,
    RECORDER_EMAIL,
    RECORDER_NAME,
    ROLLED_UP,
    WITHHELD_NOTE,
    WITHHELD_REC_NOTE,
    line,
    record,
)

pytest_plugins = ["tests.public.opendata_fixtures"]

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ["/feeds/updates/", "/feeds/actors/governments/", "/feeds/themes/labour/"]


def entries(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    found = []
    for entry in root.findall(f"{ATOM}entry"):
        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "text"
        found.append({
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "content": content.text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.findtext(f"{ATOM}updated"),
        })  # fmt: skip
        assert all(found[-1].values()), found[-1]  # Atom requires each of them
    return found


def test_feeds_are_404_while_the_site_is_off(client, loaded_report):
    for url in FEEDS:
        assert client.get(url).status_code == 404


def test_an_entry_is_a_published_update_with_a_stable_id(client, opendata_world):
    first = entries(client, "/feeds/updates/")
    assert first == entries(client, "/feeds/updates/")
    public = next(e for e in first if e["content"] == PUBLISHED_NOTE)
    assert public["id"] == f"tag:127.0.0.1,2013-07-15:update/{opendata_world['public'].pk}"
    assert public["title"] == "R30a · Governments (Member States) · In progress"
    assert public["link"].startswith("http://127.0.0.1:8000/")
    # R30a's published note and R39.2's public line; nothing unpublished or withheld.
    assert len(first) == 2
    assert {e["title"].split(" · ")[0] for e in first} == {"R30a", ROLLED_UP}


def test_nothing_private_is_in_any_feed(client, opendata_world):
    for url in FEEDS:
        text = client.get(url).content.decode()
        for marker in [INTERNAL_NOTE, WITHHELD_NOTE, WITHHELD_REC_NOTE, RECORDER_NAME,
                       RECORDER_EMAIL, "recorder-marker", "2099-09-09"]:  # fmt: skip
            assert marker not in text, (url, marker)


def test_a_withdrawn_publication_leaves_the_feeds(client, opendata_world, opendata_recorder):
    assert PUBLISHED_NOTE in client.get("/feeds/updates/").content.decode()
    publication.note_withdraw(update=opendata_world["public"], user=opendata_recorder)
    for url in FEEDS:
        assert PUBLISHED_NOTE not in client.get(url).content.decode(), url
    publication.note_publish(update=opendata_world["public"], user=opendata_recorder)
    assert PUBLISHED_NOTE in client.get("/feeds/updates/").content.decode()


def test_feeds_per_actor_theme_and_objective(client, opendata_world, opendata_recorder):
    assert [e["content"] for e in entries(client, "/feeds/actors/private-sector/")] == []
    governments = {
        e["title"].split(" · ")[0] for e in entries(client, "/feeds/actors/governments/")
    }
    assert governments == {"R30a", ROLLED_UP}
    theme = Recommendation.objects.get(code="R30a").theme.key
    assert any(e["content"] == PUBLISHED_NOTE for e in entries(client, f"/feeds/themes/{theme}/"))
    objective, _created = GcmObjective.objects.get_or_create(
        number=6, defaults={"key": "gcm-6", "title": "Facilitate fair and ethical recruitment",
                            "short_title": "Fair recruitment"},
    )  # fmt: skip
    url = f"/feeds/gcm-objectives/{objective.key}/"
    GcmTag.objects.filter(objective=objective).delete()
    assert entries(client, url) == []
    GcmTag.objects.create(
        recommendation=Recommendation.objects.get(code="R30a"), objective=objective, reason="Yes"
    )
    assert {e["title"].split(" · ")[0] for e in entries(client, url)} == {"R30a"}


@pytest.mark.parametrize("url", ["/feeds/actors/nobody/", "/feeds/themes/nothing/",
                                 "/feeds/gcm-objectives/gcm-99/"])  # fmt: skip
def test_an_unknown_key_is_404(client, opendata_site, url):
    assert client.get(url).status_code == 404


def test_a_feed_is_answered_304_until_something_public_changes(
    client, opendata_world, opendata_recorder
):
    etag = client.get("/feeds/updates/")["ETag"]
    assert client.get("/feeds/updates/", headers={"if-none-match": etag}).status_code == 304
    record(opendata_recorder, line("R30b", "governments"), "planned", "A plan.", publish=True)
    response = client.get("/feeds/updates/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "A plan." in response.content.decode()


def test_a_feed_reads_the_same_few_queries_however_many_entries(
    client, opendata_world, opendata_recorder, settings, django_assert_num_queries
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The site's switch and the public version (public_view), then the latest entries.
    with django_assert_num_queries(3):
        client.get("/feeds/updates/")
    for code in ("R30b", "R30c", "R30d"):
        for target in Recommendation.objects.get(code=code).follow_up_lines.all():
            record(opendata_recorder, target, "planned", f"Plan for {code}.", publish=True)
    # An actor's feed reads the actor first.
    with django_assert_num_queries(4):
        assert len(entries(client, "/feeds/actors/governments/")) >= 5
