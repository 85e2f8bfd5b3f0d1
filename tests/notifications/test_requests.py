"""A coordinator requests an update on a line: its focal points are e-mailed a link to the
form, the request is on the line's timeline, one request per line per day, and it is in
the audit log."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from tracker.models import FollowUpLine, Role
from tracker.notifications.models import Delivery, UpdateRequest

from .conftest import employers_lines, make_user

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def line(loaded_report):
    return employers_lines()[0]  # R30.3


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def request_update(client, line, *, as_user=None):
    """The button's POST; `as_user` logs in first (a moved clock ends older sessions)."""
    if as_user is not None:
        client.force_login(as_user)
    return client.post(reverse("line-request-update", args=[line.pk]), follow=True)


def test_the_lines_focal_points_get_a_link_to_the_form(
    coordinator_client, coordinator, employers_focal, mailoutbox, settings
):
    settings.PUBLIC_BASE_URL = "https://tracker.example.org"
    line = employers_lines()[0]
    other = make_user("also-employers", Role.FOCAL_POINT, actor_keys=["employers"])
    make_user("unions", Role.FOCAL_POINT, actor_keys=["trade-unions"])  # another actor
    make_user("viewer", Role.VIEWER, actor_keys=["employers"])
    response = request_update(coordinator_client, line)
    assert response.redirect_chain[-1][0] == f"/recommendations/R30.3/#line-{line.pk}"
    assert messages_of(response) == [
        "Update requested from Employers and employer associations: e-mailed to "
        "also-employers, focal-employers."
    ]
    assert sorted(m.to[0] for m in mailoutbox) == [other.email, employers_focal.email]
    message = mailoutbox[0]
    assert message.subject == "Update requested: R30.3, Employers and employer associations"
    assert f"https://tracker.example.org/lines/{line.pk}/update/" in message.body
    assert f"https://tracker.example.org/lines/{line.pk}/update/" in message.alternatives[0][0]
    assert "Ana, coordinator of the follow-up, asks for an update" in message.body
    request = UpdateRequest.objects.get()
    assert (request.line, request.requested_by) == (line, coordinator)
    assert set(Delivery.objects.values_list("recipient__username", "state", "period")) == {
        ("focal-employers", "sent", f"request-{request.pk}"),
        ("also-employers", "sent", f"request-{request.pk}"),
    }


def test_the_request_is_on_the_lines_timeline(
    coordinator_client, employers_focal, client, mailoutbox
):
    line = employers_lines()[0]
    response = request_update(coordinator_client, line)
    text = page_text(response)
    assert "Update requested Requested by Ana on " in text
    assert "e-mailed to 1 focal point" in text
    html = response.content.decode()
    article = html[html.index(f'id="line-{line.pk}"') :]
    article = article[: article.index("</article>")]
    assert f'id="update-request-{UpdateRequest.objects.get().pk}"' in article
    # Everyone who reads the line sees it, not only coordinators.
    client.force_login(employers_focal)
    assert "Update requested" in page_text(client.get(reverse("recommendation", args=["R30.3"])))


def test_the_timeline_puts_the_request_in_order_of_days(
    coordinator_client, coordinator, employers_focal, mailoutbox
):
    from tracker import services

    line = employers_lines()[0]
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)):
        request_update(coordinator_client, line, as_user=coordinator)
    for day, note in ((datetime.date(2026, 5, 1), "Before"), (datetime.date(2026, 6, 2), "After")):
        services.status_update_record(
            line_id=line.pk,
            user=coordinator,
            status="planned",
            note=f"{note} the request.",
            effective_date=day,
            evidence_links=[],
            seen_version=FollowUpLine.objects.get(pk=line.pk).update_count,
        )
    coordinator_client.force_login(coordinator)
    text = page_text(coordinator_client.get(reverse("recommendation", args=["R30.3"])))
    assert text.index("After the request") < text.index("Update requested")
    assert text.index("Update requested") < text.index("Before the request")


def test_one_request_per_line_per_day(coordinator_client, coordinator, employers_focal, mailoutbox):
    line = employers_lines()[0]
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, 30, tzinfo=datetime.UTC)):
        request_update(coordinator_client, line, as_user=coordinator)
        again = request_update(coordinator_client, line)
    assert messages_of(again) == [
        "An update was already requested on this line today, by Ana at 09:30. One request "
        "per line per day: its focal points have the e-mail; try again tomorrow."
    ]
    assert UpdateRequest.objects.count() == 1
    assert len(mailoutbox) == 1
    # Another line the same day, and the same line the next day, are fine.
    other_line = employers_lines()[1]
    with time_machine.travel(datetime.datetime(2027, 3, 1, 23, 0, tzinfo=datetime.UTC)):
        request_update(coordinator_client, other_line, as_user=coordinator)
    with time_machine.travel(datetime.datetime(2027, 3, 2, 0, 5, tzinfo=datetime.UTC)):
        request_update(coordinator_client, line, as_user=coordinator)
    assert UpdateRequest.objects.count() == 3
    assert len(mailoutbox) == 3


def test_a_day_is_the_sites_day_whatever_the_coordinators_zone(
    coordinator_client, coordinator, employers_focal, mailoutbox, settings
):
    coordinator.profile.time_zone = "Pacific/Kiritimati"  # UTC+14
    coordinator.profile.save()
    line = employers_lines()[0]
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)):
        # 1 March on the site (UTC), 23:00 on 1 March in Kiritimati
        request_update(coordinator_client, line, as_user=coordinator)
    with time_machine.travel(datetime.datetime(2027, 3, 1, 11, 0, tzinfo=datetime.UTC)):
        # 2 March in Kiritimati, still 1 March on the site
        again = request_update(coordinator_client, line, as_user=coordinator)
    assert "already requested on this line today, by Ana at 23:00" in messages_of(again)[0]
    assert UpdateRequest.objects.get().requested_on == datetime.date(2027, 3, 1)


def test_a_line_nobody_reports_for_is_refused(coordinator_client, lines_made, mailoutbox):
    make_user("no-address", Role.FOCAL_POINT, actor_keys=["employers"], email="")
    response = request_update(coordinator_client, employers_lines()[0])
    assert messages_of(response) == [
        "Nobody with an e-mail address reports for Employers and employer associations: "
        "assign a focal point on the Accounts page first."
    ]
    assert not UpdateRequest.objects.exists()
    assert mailoutbox == []


def test_a_closed_line_is_refused(coordinator_client, employers_focal, mailoutbox):
    line = employers_lines()[0]
    FollowUpLine.objects.filter(pk=line.pk).update(
        addressed=False, dropped_on=datetime.date(2026, 1, 1)
    )
    response = request_update(coordinator_client, line)
    assert "This line is closed" in messages_of(response)[0]
    assert not UpdateRequest.objects.exists()
    assert "Request an update" not in page_text(response)


@pytest.mark.parametrize("role", ["viewer", "focal-point"])
def test_only_coordinators_may_request(client, employers_focal, role, mailoutbox):
    user = employers_focal if role == "focal-point" else make_user("v", Role.VIEWER)
    client.force_login(user)
    line = employers_lines()[0]
    assert client.post(reverse("line-request-update", args=[line.pk])).status_code == 403
    assert not UpdateRequest.objects.exists()
    assert mailoutbox == []
    page = page_text(client.get(reverse("recommendation", args=["R30.3"])))
    assert "Request an update" not in page


def test_an_email_that_fails_is_recorded_and_said(
    coordinator_client, employers_focal, settings, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailFor"
    settings.FAIL_FOR = {"also@example.org"}
    make_user("also", Role.FOCAL_POINT, actor_keys=["employers"])
    response = request_update(coordinator_client, employers_lines()[0])
    assert messages_of(response) == [
        "Update requested from Employers and employer associations: e-mailed to focal-employers.",
        "The e-mail to also could not be sent; the request is on the line's history, and "
        "the error on the page of e-mails sent.",
    ]
    failed = Delivery.objects.get(state="failed")
    assert failed.email == "also@example.org"
    assert failed.error == "SMTPRecipientsRefused: {'also@example.org': (550, b'No such user')}"
    assert [m.to for m in mailoutbox] == [["focal-employers@example.org"]]


def test_requests_are_in_the_audit_log(coordinator_client, coordinator, employers_focal):
    line = employers_lines()[0]
    request_update(coordinator_client, line)
    request_day = UpdateRequest.objects.get().requested_on
    entry = LogEntry.objects.get_for_object(UpdateRequest.objects.get()).get()
    assert entry.actor == coordinator
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes["line"] == ["None", str(line.pk)]
    page = page_text(
        coordinator_client.get(reverse("audit"), {"kind": "notifications.updaterequest"})
    )
    assert (
        "Ana (coord) Create · Update request · R30.3 · Employers and employer associations "
        f"({request_day.isoformat()}) Initial values Line : R30.3 · Employers and employer "
        "associations Requested by : coord"
    ) in page
