"""Choosing the digest frequency on the preferences page, and stopping it with the one-click
link of an e-mail (RFC 8058): opening the link only shows the choice; its POST stops the
digest without logging in. Both are in the audit log."""

import datetime
import re
from html import unescape

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from tracker.models import FollowUpLine, Role
from tracker.notifications.models import DigestPreference
from tracker.notifications.tokens import unsubscribe_token

from .conftest import MONDAY, employers_lines, make_user, send_reminders

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def chosen(user):
    return DigestPreference.objects.filter(user=user).values_list("frequency", flat=True).first()


@pytest.fixture
def something_overdue(lines_made):
    FollowUpLine.objects.filter(pk=employers_lines()[0].pk).update(
        target_date=datetime.date(2027, 2, 1)
    )


def test_a_focal_point_sees_the_choice_on_the_preferences_page(client, employers_focal):
    client.force_login(employers_focal)
    response = client.get(reverse("preferences"))
    html = response.content.decode()
    assert 'action="/preferences/digest/"' in html
    assert re.search(r'<input type="radio" name="frequency" value="weekly"[^>]* checked', html)
    assert "E-mail me a digest of my lines" in page_text(response)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COORDINATOR])
def test_others_get_no_digest_and_see_no_choice(client, loaded_report, role):
    client.force_login(make_user("someone", role))
    assert "digest" not in client.get(reverse("preferences")).content.decode()


def test_choosing_monthly_then_never(client, employers_focal, something_overdue, mailoutbox):
    client.force_login(employers_focal)
    response = client.post(reverse("digest-frequency"), {"frequency": "monthly"}, follow=True)
    assert response.redirect_chain == [("/preferences/#digest", 302)]
    assert "Digest choice saved." in page_text(response)
    assert re.search(r'value="monthly"[^>]* checked', response.content.decode())
    assert chosen(employers_focal) == "monthly"
    client.post(reverse("digest-frequency"), {"frequency": "never"})
    send_reminders(MONDAY)
    assert mailoutbox == []


@pytest.mark.parametrize("value", ["", "daily", "NEVER"])
def test_a_choice_not_offered_is_refused_beside_the_field(client, employers_focal, value):
    client.force_login(employers_focal)
    response = client.post(reverse("digest-frequency"), {"frequency": value})
    assert response.status_code == 400
    assert re.search(
        r'id="id_frequency_error"><li>(Select a valid choice|This field)', response.content.decode()
    )
    assert chosen(employers_focal) is None


def test_the_choice_has_a_page_of_its_own(client, employers_focal):
    DigestPreference.objects.create(user=employers_focal, frequency="monthly")
    client.force_login(employers_focal)
    response = client.get(reverse("digest-frequency"))
    assert response.status_code == 200
    assert re.search(r'value="monthly"[^>]* checked', response.content.decode())


def test_choices_are_audited_as_the_person(client, employers_focal):
    client.force_login(employers_focal)
    client.post(reverse("digest-frequency"), {"frequency": "monthly"})
    client.post(reverse("digest-frequency"), {"frequency": "monthly"})  # no change, no entry
    client.post(reverse("digest-frequency"), {"frequency": "never"})
    entries = LogEntry.objects.get_for_object(DigestPreference.objects.get()).order_by("pk")
    assert [(e.actor, e.changes["frequency"]) for e in entries] == [
        (employers_focal, ["None", "monthly"]),
        (employers_focal, ["monthly", "never"]),
    ]
    client.force_login(make_user("coord", Role.COORDINATOR))
    page = page_text(client.get(reverse("audit"), {"kind": "notifications.digestpreference"}))
    assert (
        "focal-employers Update · Digest preference · focal-employers: Never "
        "Digest : Every month → Never"
    ) in page


# ---------------------------------------------------------------- the one-click link


def unsubscribe_url(user) -> str:
    return reverse("digest-unsubscribe", args=[unsubscribe_token(user)])


def test_opening_the_link_shows_the_choice_and_changes_nothing(employers_focal):
    response = Client().get(unsubscribe_url(employers_focal))
    assert response.status_code == 200
    text = page_text(response)
    assert "the account focal-employers receives by e-mail" in text
    assert re.search(
        r'<button type="submit" class="button">Stop the digest</button>', response.content.decode()
    )
    assert chosen(employers_focal) is None
    assert "no-store" in response["Cache-Control"]


def test_the_one_click_post_stops_the_digest_without_logging_in(
    employers_focal, something_overdue, mailoutbox
):
    send_reminders(MONDAY)
    [digest] = mailoutbox
    link = digest.extra_headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("http://127.0.0.1:8000")
    # What a mail program sends (RFC 8058): a POST with this body, no cookie, no token.
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "No more digests will be sent to the account focal-employers." in page_text(response)
    assert chosen(employers_focal) == "never"
    send_reminders(MONDAY + datetime.timedelta(days=7))
    assert len(mailoutbox) == 1
    again = Client().get(path)
    assert "This digest is already stopped" in page_text(again)
    assert "Stop the digest</button>" not in again.content.decode()


def test_the_one_click_change_is_audited_as_made_through_the_link(employers_focal):
    DigestPreference.objects.create(user=employers_focal, frequency="monthly")
    Client().post(unsubscribe_url(employers_focal))
    entry = LogEntry.objects.get_for_object(DigestPreference.objects.get()).latest("pk")
    assert entry.actor == employers_focal
    assert entry.changes == {"frequency": ["monthly", "never"]}
    assert entry.additional_data == {"event": "one-click-unsubscribe"}
    assert entry.remote_addr == "127.0.0.1"


@pytest.mark.parametrize("mangled", ["cut short", "another person", "not signed"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_link_that_is_not_ours_changes_nothing(employers_focal, unions_focal, mangled, method):
    token = unsubscribe_token(employers_focal)
    signature = token.split(":", 1)[1]
    token = {
        "cut short": token[:-3],
        "another person": f"{unions_focal.pk}:{signature}",
        "not signed": str(unions_focal.pk),
    }[mangled]
    response = getattr(Client(), method)(reverse("digest-unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "This link is not valid" in page_text(response)
    assert not DigestPreference.objects.exists()


def test_a_link_signed_with_another_key_is_refused(employers_focal, settings):
    token = unsubscribe_token(employers_focal)
    settings.SECRET_KEY = "another-key-" + "x" * 50
    assert Client().post(reverse("digest-unsubscribe", args=[token])).status_code == 400
    assert not DigestPreference.objects.exists()
