"""The audit log page and its CSV: filters in the query string, pages that keep them, bad
filters beside their field (400), the CSV read back, and query counts that do not grow."""

import csv
import datetime
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker import services
from tracker.audit.views import PAGE_SIZE
from tracker.models import FollowUpLine, Profile

from .conftest import as_user, field_errors, page_text, set_focal_actors

pytestmark = pytest.mark.django_db

OCTOBER_3 = datetime.date(2014, 10, 3)


def entries(response):
    return [view.entry for view in response.context["entries"]]


def csv_rows(response):
    assert response.streaming
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def change_target_dates(user, count, *, first=0):
    """`count` audited changes by `user`, each on its own line, each with a foreign key
    (added_by) and a date, so every page of them needs the same look-ups."""
    lines = FollowUpLine.objects.order_by("pk")[first : first + count]
    with as_user(user):
        for i, line in enumerate(lines):
            line.added_by = user
            line.target_date = OCTOBER_3 + datetime.timedelta(days=i)
            line.save(update_fields=["added_by", "target_date"])


# ---------------------------------------------------------------- filters


def test_filter_by_who(coordinator_client, coordinator, focal, line):
    with as_user(coordinator):
        services.line_set_target_date(line=line, user=coordinator, target_date=OCTOBER_3)
    url = reverse("audit")
    mine = entries(coordinator_client.get(url, {"who": coordinator.pk}))
    assert mine
    assert {e.actor_id for e in mine} == {coordinator.pk}
    loader = coordinator_client.get(url, {"who": "loader"})
    assert loader.status_code == 200
    assert (
        loader.context["page"].paginator.count
        == LogEntry.objects.filter(actor__isnull=True).count()
    )  # the catalogue loader's, and the test accounts made without a user
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(coordinator),
        object_pk=str(coordinator.pk),
        object_repr="coord",
        action=LogEntry.Action.UPDATE,
        changes={"login": ["allowed", "locked"]},
        additional_data={"event": "login-lockout"},
    )
    [locked] = entries(coordinator_client.get(url, {"who": "failed-logins"}))
    assert locked.changes == {"login": ["allowed", "locked"]}
    assert locked not in entries(coordinator_client.get(url, {"who": "loader"}))


def test_filter_by_kind_lists_the_audited_models_by_name(coordinator_client, coordinator, line):
    with as_user(coordinator):
        services.line_set_target_date(line=line, user=coordinator, target_date=OCTOBER_3)
    response = coordinator_client.get(reverse("audit"), {"kind": "tracker.followupline"})
    assert response.status_code == 200
    assert {e.content_type.model for e in entries(response)} == {"followupline"}
    choices = dict(response.context["filter"].form.fields["kind"].choices)
    assert choices["tracker.followupline"] == "Follow-up line"
    assert choices["hearings.recommendation"] == "Recommendation"
    assert choices["tracker.profile"] == "Staff profile"
    assert "auth.user" in choices
    assert "auditlog.logentry" not in choices


def test_filter_by_dates_in_the_users_time_zone(client, coordinator, line):
    Profile.objects.filter(user=coordinator).update(time_zone="Europe/Zurich")  # UTC+2 then
    with as_user(coordinator):
        services.line_set_target_date(line=line, user=coordinator, target_date=OCTOBER_3)
        services.line_set_target_date(line=line, user=coordinator, target_date=None)
    early, late = LogEntry.objects.filter(actor=coordinator).order_by("pk")
    utc = datetime.UTC
    LogEntry.objects.filter(pk=early.pk).update(
        timestamp=datetime.datetime(2014, 10, 2, 22, 30, tzinfo=utc)  # 3 Oct 00:30 in Zurich
    )
    LogEntry.objects.filter(pk=late.pk).update(
        timestamp=datetime.datetime(2014, 10, 3, 22, 30, tzinfo=utc)  # 4 Oct 00:30 in Zurich
    )
    client.force_login(coordinator)
    url = reverse("audit")
    who = {"who": coordinator.pk}
    one_day = {**who, "date_from": "2014-10-03", "date_to": "2014-10-03"}
    assert entries(client.get(url, one_day)) == [early]
    assert entries(client.get(url, {**who, "date_from": "2014-10-04"})) == [late]
    assert entries(client.get(url, {**who, "date_to": "2014-10-02"})) == []
    assert entries(client.get(url, {**who, "date_to": "2014-10-04"})) == [late, early]
    page = page_text(client.get(url, one_day))
    assert "3 Oct 2014 00:30 CEST" in page
    assert [row[0] for row in csv_rows(client.get(reverse("audit-csv"), one_day))[1:]] == [
        "2014-10-02T22:30:00+00:00"
    ]


def test_filters_together_and_pages_that_keep_them(coordinator_client, coordinator):
    change_target_dates(coordinator, PAGE_SIZE + 5)
    url = reverse("audit")
    query = {"who": coordinator.pk, "kind": "tracker.followupline", "date_from": "2013-01-01"}
    response = coordinator_client.get(url, {**query, "page": "2"})
    page = response.context["page"]
    assert (page.number, page.paginator.count, len(page.object_list)) == (2, PAGE_SIZE + 5, 5)
    html = response.content.decode()
    assert '<form method="get" class="audit-filters"' in html
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)
    links = [unescape(h) for h in re.findall(r'href="([^"]*)"', nav)]
    assert links
    for link in links:
        sent = parse_qs(urlsplit(link).query)
        assert sent["who"] == [str(coordinator.pk)], link
        assert sent["kind"] == ["tracker.followupline"], link
        assert sent["date_from"] == ["2013-01-01"], link
        assert len(sent["page"]) == 1, link
    download = re.search(r'href="(/audit/audit-log\.csv\?[^"]*)"', html).group(1)
    assert "page=" not in download
    assert parse_qs(urlsplit(unescape(download)).query)["who"] == [str(coordinator.pk)]


@pytest.mark.parametrize(
    ("query", "field", "error"),
    [
        ({"date_from": "3 October"}, "date_from", "Enter a valid date."),
        ({"date_to": "2014-13-45"}, "date_to", "Enter a valid date."),
        ({"date_from": "0001-01-01"}, "date_from", "between 1 January 2013 and 31 December 2100"),
        ({"date_to": "9999-12-31"}, "date_to", "between 1 January 2013 and 31 December 2100"),
        ({"date_from": "2014-10-04", "date_to": "2014-10-03"}, "date_to", "before the one in"),
        ({"kind": "auth.nothing"}, "kind", "Select a valid choice."),
        ({"kind": "auditlog.logentry"}, "kind", "Select a valid choice."),
        ({"who": "someone"}, "who", "Select a valid choice."),
        ({"who": "999999"}, "who", "Select a valid choice."),
    ],
)
@pytest.mark.parametrize("name", ["audit", "audit-csv"])
def test_bad_filters_are_400_with_the_error_beside_the_field(
    coordinator_client, name, query, field, error
):
    response = coordinator_client.get(reverse(name), query)
    assert response.status_code == 400
    assert not response.streaming
    assert "Some filters are not valid" in response.content.decode()
    assert error in field_errors(response, field)
    assert response.context["page"] is None


# ---------------------------------------------------------------- the CSV


def test_csv_reads_back_one_row_per_changed_field(coordinator_client, coordinator, focal, line):
    with as_user(coordinator):
        services.line_set_target_date(line=line, user=coordinator, target_date=OCTOBER_3)
    set_focal_actors(coordinator, focal, ["civil-society", "ilo", "iom"])
    with as_user(coordinator):
        focal.first_name = '=HYPERLINK("https://example.org")'
        focal.last_name = "Ruiz"
        focal.save()
    response = coordinator_client.get(reverse("audit-csv"), {"who": coordinator.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.match(r'attachment; filename="audit-log-\d{4}-\d\d-\d\d\.csv"',
                    response["Content-Disposition"])  # fmt: skip
    header, *rows = csv_rows(response)
    assert header == ["When (UTC)", "Who", "Action", "Object kind", "Object", "Field", "Before",
                      "After"]  # fmt: skip
    by_field = {row[5]: row for row in rows}
    when, who, action, kind, obj, *change = by_field["Target date"]
    assert datetime.datetime.fromisoformat(when).utcoffset() == datetime.timedelta(0)
    assert (who, action, kind, obj) == ("Ana Lima (coord)", "Update", "Follow-up line",
                                        str(line))  # fmt: skip
    assert change == ["Target date", "", "3 October 2014"]
    assert by_field["Reports for"][5:] == [
        "Reports for",
        "",
        "added: International Labour Organization, International Organization for Migration",
    ]
    assert by_field["First name"][5:] == ["First name", "", '\'=HYPERLINK("https://example.org")']
    assert by_field["Last name"][5:] == ["Last name", "", "Ruiz"]
    user_rows = [row for row in rows if row[3] == "User" and row[1] == "Ana Lima (coord)"]
    assert len(user_rows) == 2, "one row per changed field of the one entry"
    assert len({row[0] for row in user_rows}) == 1


def test_csv_has_every_entry_across_batches(coordinator_client, coordinator, monkeypatch):
    monkeypatch.setattr("tracker.audit.export.BATCH_SIZE", 7)
    change_target_dates(coordinator, 30)
    response = coordinator_client.get(reverse("audit-csv"), {"who": coordinator.pk})
    rows = csv_rows(response)[1:]
    assert len(rows) == 30 * 2  # target date and added by
    assert {row[5] for row in rows} == {"Target date", "Added by"}
    assert {row[7] for row in rows if row[5] == "Added by"} == {"coord"}


# ---------------------------------------------------------------- query counts


def count_queries(request):
    with CaptureQueriesContext(connection) as queries:
        response = request()
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["audit", "audit-csv"])
def test_queries_do_not_grow_with_the_entries(coordinator_client, coordinator, focal, name):
    url, query = reverse(name), {"who": coordinator.pk}
    set_focal_actors(coordinator, focal, ["ilo"])
    change_target_dates(coordinator, 10)
    coordinator_client.get(url, query)  # content types, sessions: cached from here on
    ten = count_queries(lambda: coordinator_client.get(url, query))
    change_target_dates(coordinator, 20, first=10)
    set_focal_actors(coordinator, focal, ["iom"])
    thirty = count_queries(lambda: coordinator_client.get(url, query))
    assert ten == thirty
    # session, user, profile, the accounts for "who", then (page) the count and the page,
    # or (CSV) the entries; one query for the users that the changes name.
    assert ten <= (7 if name == "audit" else 6), ten
