"""The publication pages as a coordinator uses them: the Public site page (switches with their
confirmations, what is kept out, published notes counted), the timeline's buttons, the
badges everyone sees, the update form's "publish this note", and bad input refused."""

import re

import pytest
from django.urls import reverse

from hearings.models import Recommendation
from tests.publication.conftest import messages_shown, page_text
from tracker.publication import services
from tracker.publication.models import NotePublication, PublicSite, Withholding

pytestmark = pytest.mark.django_db

REASON = "The Government's response is under discussion."


@pytest.fixture
def coordinator_client(client, users):
    client.force_login(users["coordinator"])
    return client


def timeline(line):
    return reverse("recommendation", args=[line.recommendation.code])


def timeline_item(response, update) -> str:
    """One update's entry on the timeline, as read."""
    html = response.content.decode()
    match = re.search(rf'<li class="timeline__item" id="update-{update.pk}">(.*?)</li>', html, re.S)
    assert match, f"update {update.pk} is not on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


# ---------------------------------------------------------------- the Public site page


def test_switching_the_site_on_and_off_says_what_happened(coordinator_client, users):
    page = page_text(coordinator_client.get(reverse("public-site")))
    assert "Off never switched on yet" in page
    assert "Switch the public site on" in page
    response = coordinator_client.post(reverse("public-site-switch"), {"state": "on"}, follow=True)
    assert response.redirect_chain == [(reverse("public-site"), 302)]
    assert messages_shown(response) == [
        "The public site is on. Anyone can now read the catalogue, the report, each line's "
        "status and the published notes, without logging in."
    ]
    assert PublicSite.load().is_on
    page = page_text(response)
    assert "On last changed on" in page
    assert "by Coordinator" in page
    assert "Switch the public site off" in page
    again = coordinator_client.post(reverse("public-site-switch"), {"state": "on"}, follow=True)
    assert messages_shown(again) == ["The public site was already on: nothing changed."]
    off = coordinator_client.post(reverse("public-site-switch"), {"state": "off"}, follow=True)
    assert messages_shown(off)[0].startswith("The public site is off: nothing is public now.")
    assert not PublicSite.load().is_on


def test_target_dates_are_published_or_kept_private(coordinator_client):
    url = reverse("public-site-target-dates")
    response = coordinator_client.post(url, {"state": "on"}, follow=True)
    assert messages_shown(response)[0].startswith("Target dates are public now")
    assert PublicSite.load().target_dates_public
    assert "Keep target dates private" in page_text(response)
    response = coordinator_client.post(url, {"state": "off"}, follow=True)
    assert messages_shown(response)[0].startswith("Target dates are private again")
    assert not PublicSite.load().target_dates_public


@pytest.mark.parametrize("name", ["public-site-switch", "public-site-target-dates"])
@pytest.mark.parametrize("data", [{}, {"state": "yes"}, {"state": "ON "}, {"state": "on\x00"}])
def test_a_switch_that_says_neither_on_nor_off_changes_nothing(coordinator_client, name, data):
    response = coordinator_client.post(reverse(name), data)
    assert response.status_code == 400
    assert "Say “on” or “off”: nothing was changed." in page_text(response)
    site = PublicSite.objects.filter(pk=PublicSite.ONLY).first()
    assert site is None or (site.is_on, site.target_dates_public) == (False, False)


def test_the_page_lists_what_is_kept_out_and_counts_published_notes(
    coordinator_client, users, line, record
):
    coordinator = users["coordinator"]
    record(users["focal-point"], publish=True)
    record(users["focal-point"])
    services.withhold(user=coordinator, line=line, reason="Sensitive talks with the ministry.")
    rec = Recommendation.objects.get(code="R24.1")
    services.withhold(user=coordinator, recommendation=rec, reason=REASON)
    page = page_text(coordinator_client.get(reverse("public-site")))
    # 1 published of 2 recorded; it is on a line kept out, so none is shown.
    assert "1 published, of 2 status updates recorded" in page
    assert "0 shown on the public site while it is on" in page
    assert "1 recommendation" in page
    assert "1 line" in page
    assert f"{rec.code} {rec.title} {REASON} Coordinator" in page
    assert "R42.1 · Civil society organizations and NGOs Sensitive talks with the ministry." in page
    assert page.count("Let back into public view") == 2


def test_letting_back_from_the_page_returns_to_the_page(coordinator_client, users, line):
    services.withhold(user=users["coordinator"], line=line, reason=REASON)
    response = coordinator_client.post(
        reverse("line-release", args=[line.pk]), {"return_to": "public-site"}, follow=True
    )
    assert response.redirect_chain == [(reverse("public-site") + "#kept-out", 302)]
    assert messages_shown(response) == [
        "The line of R42.1 for Civil society organizations and NGOs is back in public view "
        "(while the public site is on)."
    ]
    assert "Nothing is kept out of public view." in page_text(response)


def test_the_page_query_count_does_not_grow(
    coordinator_client, users, line, record, django_assert_num_queries
):
    # 1 session, 2 user, 3 profile (time-zone middleware, then the role), 4 the site with who
    # changed it, 5 what is kept out with targets and who, 6 updates counted, 7 published
    # notes counted, 8 those shown publicly counted
    queries = 8
    with django_assert_num_queries(queries):
        assert coordinator_client.get(reverse("public-site")).status_code == 200
    coordinator = users["coordinator"]
    services.site_set(user=coordinator, is_on=True)
    for line_ in line.recommendation.follow_up_lines.all()[:3]:
        services.withhold(user=coordinator, line=line_, reason=REASON)
    for rec in Recommendation.objects.main()[:4]:
        services.withhold(user=coordinator, recommendation=rec, reason=REASON)
    for _ in range(3):
        record(coordinator, publish=True)
    with django_assert_num_queries(queries):
        response = coordinator_client.get(reverse("public-site"))
    assert page_text(response).count("Let back into public view") >= 5


def test_the_navigation_links_to_the_page_for_coordinators_only(client, users):
    for role, shown in [("viewer", False), ("focal-point", False), ("coordinator", True),
                        ("superuser", True)]:  # fmt: skip
        client.force_login(users[role])
        html = client.get(reverse("dashboard")).content.decode()
        assert (f'href="{reverse("public-site")}"' in html) is shown, role


# ---------------------------------------------------------------- the timeline


def test_a_coordinator_publishes_and_withdraws_a_note_from_the_timeline(
    coordinator_client, users, line, record
):
    update = record(users["focal-point"])
    response = coordinator_client.post(reverse("update-publish", args=[update.pk]), follow=True)
    assert response.redirect_chain == [(timeline(line) + f"#update-{update.pk}", 302)]
    assert messages_shown(response) == [
        "The note of 10 January 2014 for Civil society organizations and NGOs is published: it "
        "and its evidence show on the public site, under Civil society organizations and NGOs, "
        "never under who recorded it. The public site is off: the note will show once a "
        "coordinator switches it on (the Public site page)."
    ]
    publication = NotePublication.objects.get(update=update)
    assert publication.published_by == users["coordinator"]
    item = timeline_item(response, update)
    assert "10 Jan 2014 In progress Public" in item
    assert "Withdraw from public the note of 10 Jan 2014 for Civil society" in item
    again = coordinator_client.post(reverse("update-publish", args=[update.pk]), follow=True)
    assert messages_shown(again) == [
        "The note of 10 January 2014 was already public: nothing changed."
    ]
    response = coordinator_client.post(reverse("update-withdraw", args=[update.pk]), follow=True)
    assert messages_shown(response) == [
        "The note of 10 January 2014 for Civil society organizations and NGOs is withdrawn "
        "from public view (and from the feeds). The update itself stays in the history, as it "
        "was."
    ]
    assert not NotePublication.objects.filter(update=update).exists()
    update.refresh_from_db()
    assert update.note == "Hotline opened in three countries."


def test_publishing_while_the_site_is_on_says_nothing_of_the_switch(
    coordinator_client, users, record
):
    services.site_set(user=users["coordinator"], is_on=True)
    update = record(users["focal-point"])
    response = coordinator_client.post(reverse("update-publish", args=[update.pk]), follow=True)
    (message,) = messages_shown(response)
    assert "is published" in message
    assert "The public site is off" not in message


@pytest.mark.parametrize("role", ["viewer", "focal-point"])
def test_focal_points_and_viewers_see_the_badges_only(client, users, line, record, role):
    published = record(users["focal-point"], publish=True)
    private = record(users["focal-point"], note="Internal: waiting for the minister.")
    services.withhold(user=users["coordinator"], line=line, reason="Secret reason.")
    client.force_login(users[role])
    response = client.get(timeline(line))
    page = page_text(response)
    html = response.content.decode()
    assert html.count('class="badge badge--public"') == 1
    assert "Kept out of public view" in page
    assert "Secret reason." not in page
    code = line.recommendation.code
    for url in (
        reverse("update-publish", args=[private.pk]),
        reverse("update-withdraw", args=[published.pk]),
        reverse("line-release", args=[line.pk]),
        reverse("recommendation-withhold", args=[code]),
    ):
        assert url not in html
    assert "Let back into public view" not in page
    assert "Keep out of public view" not in page


def test_a_coordinator_sees_a_button_per_update_and_per_line(
    coordinator_client, users, line, record
):
    record(users["focal-point"], publish=True)
    record(users["focal-point"], note="Internal: waiting for the minister.")
    html = coordinator_client.get(timeline(line)).content.decode()
    assert html.count('class="badge badge--public"') == 1
    assert html.count("/publish/") == 1
    assert html.count('/withdraw/"') == 1
    lines = line.recommendation.follow_up_lines.count()
    assert html.count("/public/withhold/") == lines + 1  # every line and the recommendation
    assert html.count('name="csrfmiddlewaretoken"') >= lines + 3


def test_keeping_a_line_out_and_letting_it_back(coordinator_client, users, line):
    url = reverse("line-withhold", args=[line.pk])
    response = coordinator_client.post(url, {"reason": f"  {REASON}  "}, follow=True)
    assert response.redirect_chain == [(timeline(line) + f"#line-{line.pk}", 302)]
    assert messages_shown(response) == [
        "The line of R42.1 for Civil society organizations and NGOs is kept out of public "
        "view, with its notes; the rest of the recommendation stays public."
    ]
    withholding = Withholding.objects.get(line=line)
    assert (withholding.reason, withholding.withheld_by) == (REASON, users["coordinator"])
    page = page_text(response)
    assert "Kept out of public view by Coordinator on" in page
    assert REASON in page
    again = coordinator_client.post(url, {"reason": "Another reason."}, follow=True)
    assert messages_shown(again)[0].endswith(
        "was already kept out of public view: nothing changed."
    )
    assert Withholding.objects.get(line=line).reason == REASON
    response = coordinator_client.post(reverse("line-release", args=[line.pk]), follow=True)
    assert response.redirect_chain == [(timeline(line) + f"#line-{line.pk}", 302)]
    assert messages_shown(response)[0].endswith(
        "is back in public view (while the public site is on)."
    )
    assert not Withholding.objects.exists()
    gone = coordinator_client.post(reverse("line-release", args=[line.pk]), follow=True)
    assert messages_shown(gone)[0].endswith("was not kept out of public view: nothing changed.")


def test_keeping_a_recommendation_out_takes_its_restatements_along(coordinator_client):
    rec = Recommendation.objects.get(code="R24.1")
    response = coordinator_client.post(
        reverse("recommendation-withhold", args=[rec.code]), {"reason": REASON}, follow=True
    )
    assert response.redirect_chain == [
        (reverse("recommendation", args=[rec.code]) + "#public-view", 302)
    ]
    assert messages_shown(response) == [
        "R24.1 is kept out of public view, with its restatements, its lines and their notes. "
        "Staff pages show it as before."
    ]
    restatement = Recommendation.objects.filter(restates=rec).first()
    page = page_text(coordinator_client.get(reverse("recommendation", args=[restatement.code])))
    assert "Public view Kept out of public view with R24.1, which this entry restates" in page


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Say why it is kept out of public view."),
        ("   \n ", "Say why it is kept out of public view."),
        ("x" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
        ("Bad\x07bell", "U+0007"),
    ],
)
def test_a_missing_or_bad_reason_keeps_nothing_out(coordinator_client, line, reason, error):
    response = coordinator_client.post(reverse("line-withhold", args=[line.pk]), {"reason": reason})
    assert response.status_code == 400
    page = page_text(response)
    assert (
        "Keep the line of R42.1 for Civil society organizations and NGOs out of public view" in page
    )
    assert error in page
    assert not Withholding.objects.exists()


def test_the_withhold_page_asks_for_the_reason(coordinator_client, line):
    response = coordinator_client.get(reverse("recommendation-withhold", args=["R42.1"]))
    page = page_text(response)
    assert "Keep R42.1 out of public view" in page
    assert "Why is it kept out of public view? (required)" in page


# ---------------------------------------------------------------- the update form


def test_the_update_form_leaves_publish_unticked_and_says_what_becomes_public(client, users, line):
    client.force_login(users["focal-point"])
    url = reverse("line-update", args=[line.pk])
    html = client.get(url).content.decode()
    (box,) = re.findall(r'<input type="checkbox" name="publish"[^>]*>', html)
    assert "checked" not in box
    page = page_text(client.get(url))
    assert "Unticked, the note and its evidence stay internal, for staff only." in page
    assert "never yours" in page
    assert "once a coordinator switches it on" in page
    services.site_set(user=users["coordinator"], is_on=True)
    assert "once a coordinator switches it on" not in page_text(client.get(url))


@pytest.mark.parametrize(
    ("publish", "site_on", "message"),
    [
        (False, False, "Update recorded."),
        (True, False, "Update recorded. Its note is published: it will show on the public "
                      "site once a coordinator switches the site on."),
        (True, True, "Update recorded. Its note is published: it shows on the public site."),
    ],
)  # fmt: skip
def test_recording_with_or_without_publish_says_so(client, users, line, publish, site_on, message):
    if site_on:
        services.site_set(user=users["coordinator"], is_on=True)
    client.force_login(users["focal-point"])
    data = {
        "status": "planned",
        "note": "A plan for the hotline was adopted.",
        "effective_date": "2014-01-10",
        "version": "0",
    }
    if publish:
        data["publish"] = "on"
    response = client.post(reverse("line-update", args=[line.pk]), data, follow=True)
    assert messages_shown(response) == [message]
    update = line.updates.get()
    assert NotePublication.objects.filter(update=update).exists() is publish
