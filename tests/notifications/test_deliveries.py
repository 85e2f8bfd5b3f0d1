"""The page of e-mails sent, for coordinators: to whom, what, when, what failed; and the
permission matrix of every page of reminders and requests, with what a refused request
leaves untouched."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from tracker.models import FollowUpLine, Role
from tracker.notifications.models import Delivery, DigestPreference, UpdateRequest
from tracker.notifications.tokens import unsubscribe_token

from .conftest import MONDAY, employers_lines, make_user, send_reminders

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "viewer", "focal-point", "coordinator", "superuser"]


def page_text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def people(lines_made):
    from django.contrib.auth import get_user_model

    return {
        "viewer": make_user("viewer", Role.VIEWER),
        "focal-point": make_user("focal", Role.FOCAL_POINT, actor_keys=["employers"]),
        "coordinator": make_user("coord", Role.COORDINATOR, first_name="Ana"),
        "superuser": get_user_model().objects.create_superuser("admin", "admin@example.org"),
    }


@pytest.fixture
def some_sent(people, settings):
    """A digest sent, one refused by the server, and a request e-mailed."""
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailFor"
    settings.FAIL_FOR = {"unions@example.org"}
    make_user("unions", Role.FOCAL_POINT, actor_keys=["trade-unions"])
    FollowUpLine.objects.update(target_date=datetime.date(2027, 2, 1))
    with pytest.raises(Exception, match="could not be sent"):
        send_reminders(MONDAY)
    from tracker.notifications.services import update_request_create

    line = FollowUpLine.objects.select_related("recommendation", "actor").get(
        pk=employers_lines()[0].pk
    )
    update_request_create(line=line, user=people["coordinator"])


def test_coordinators_see_what_went_to_whom_and_what_failed(client, people, some_sent):
    client.force_login(people["coordinator"])
    response = client.get(reverse("deliveries"))
    text = page_text(response)
    assert "3 e-mails" in text
    assert "focal focal@example.org Digest 2027-W09, 2 lines" in text
    assert (
        "unions unions@example.org Digest 2027-W09, 1 line Your follow-up lines as of 1 March "
        "2027: 1 overdue Failed SMTPRecipientsRefused:"
    ) in text
    assert "Update request from Ana: R30.3 , Employers and employer associations" in text
    failed = client.get(reverse("deliveries"), {"state": "failed"})
    assert [d.email for d in failed.context["page"].object_list] == ["unions@example.org"]
    requests = client.get(reverse("deliveries"), {"kind": "update-request"})
    assert [d.kind for d in requests.context["page"].object_list] == ["update-request"]


def test_times_are_in_the_readers_zone(client, people, some_sent):
    Delivery.objects.update(claimed_at=datetime.datetime(2027, 3, 1, 6, 30, tzinfo=datetime.UTC))
    people["coordinator"].profile.time_zone = "America/New_York"
    people["coordinator"].profile.save()
    client.force_login(people["coordinator"])
    assert "1 Mar 2027 01:30 EST" in page_text(client.get(reverse("deliveries")))


@pytest.mark.parametrize("query", [{"state": "lost"}, {"kind": "letter"}])
def test_a_bad_filter_is_400_beside_its_field(client, people, query):
    client.force_login(people["coordinator"])
    response = client.get(reverse("deliveries"), query)
    assert response.status_code == 400
    assert "Select a valid choice" in page_text(response)


# 1 session, 2 user, 3 profile (time-zone middleware), 4 the count, 5 the page of e-mails
# with recipient and, for requests, the line, its recommendation and actor, who asked.
DELIVERIES_QUERIES = 5


def test_the_page_query_count_does_not_grow(
    client, people, some_sent, django_assert_num_queries, settings
):
    settings.FAIL_FOR = set()
    client.force_login(people["coordinator"])
    with django_assert_num_queries(DELIVERIES_QUERIES):
        client.get(reverse("deliveries"))
    for week in range(1, 20):
        send_reminders(MONDAY + datetime.timedelta(days=7 * week))
    assert Delivery.objects.count() > 30
    with django_assert_num_queries(DELIVERIES_QUERIES):
        response = client.get(reverse("deliveries"))
    assert len(response.context["page"].object_list) > 30


# ---------------------------------------------------------------- the permission matrix

#   anonymous, viewer, focal point, coordinator, superuser
COORDINATOR_GET = (302, 403, 403, 200, 200)
COORDINATOR_POST = (302, 403, 403, 302, 302)
ANY_USER_GET = (302, 200, 200, 200, 200)
ANY_USER_POST = (302, 302, 302, 302, 302)
PUBLIC = (200, 200, 200, 200, 200)
NOT_ALLOWED = (405, 405, 405, 405, 405)

MATRIX = [
    ("line-request-update", "line", "post", COORDINATOR_POST),
    ("line-request-update", "line", "get", NOT_ALLOWED),
    ("line-request-update", "line", "put", NOT_ALLOWED),
    ("digest-frequency", None, "get", ANY_USER_GET),
    ("digest-frequency", None, "post", ANY_USER_POST),
    ("digest-frequency", None, "delete", NOT_ALLOWED),
    ("digest-unsubscribe", "token", "get", PUBLIC),
    ("digest-unsubscribe", "token", "post", PUBLIC),
    ("digest-unsubscribe", "token", "put", NOT_ALLOWED),
    ("deliveries", None, "get", COORDINATOR_GET),
    ("deliveries", None, "post", NOT_ALLOWED),
]


def snapshot():
    return (
        list(UpdateRequest.objects.values_list("pk", flat=True)),
        list(Delivery.objects.values_list("pk", "state")),
        list(DigestPreference.objects.values_list("user_id", "frequency")),
    )


@pytest.mark.parametrize(
    ("name", "arg", "method", "role", "expected"),
    [
        pytest.param(name, arg, method, role, statuses[i], id=f"{method}-{name}-{role}")
        for name, arg, method, statuses in MATRIX
        for i, role in enumerate(ROLES)
    ],
)
def test_permission_matrix(client, people, mailoutbox, name, arg, method, role, expected):
    args = {
        "line": [employers_lines()[0].pk],
        "token": [unsubscribe_token(people["focal-point"])],
        None: [],
    }[arg]
    url = reverse(name, args=args)
    if role != "anonymous":
        client.force_login(people[role])
    before = snapshot()
    data = {"frequency": "monthly"} if name == "digest-frequency" else {}
    response = (
        getattr(client, method)(url, data) if method == "post" else getattr(client, method)(url)
    )
    assert response.status_code == expected
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith("/auth/login/?next=")
    if expected in (403, 405) or (role == "anonymous" and expected == 302):
        assert snapshot() == before, "a refused request changed data"
        assert mailoutbox == []
    if name == "line-request-update" and expected == 302 and role != "anonymous":
        assert UpdateRequest.objects.count() == 1
        assert [m.to for m in mailoutbox] == [["focal@example.org"]]
