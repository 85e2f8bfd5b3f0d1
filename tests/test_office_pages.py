"""What a first real office tripped on in the pages (issue #8, part 4): navigation to export
and import, the import page's link to its sheet, no "Export these 0", one entry per sort
order, no status chosen for the user, a stale-form message that names who and when, and
the admin's header."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from hearings.models import Actor
from tracker import services
from tracker.models import FollowUpLine, Profile, Role, Status
from tracker.reports.columns import FOLLOW_UP_COLUMNS, header

pytestmark = pytest.mark.django_db

LINE = ("R42.1", "civil-society")


def account(username, role, actor_keys=(), **fields):
    user = get_user_model().objects.create_user(username, password="pw-for-tests", **fields)
    profile = Profile.objects.create(user=user, role=role)
    profile.actors.set(Actor.objects.filter(key__in=actor_keys))
    return user


@pytest.fixture
def line(loaded_report):
    return FollowUpLine.objects.get(recommendation__code=LINE[0], actor__key=LINE[1])


def nav(client) -> list[str]:
    page = client.get(reverse("dashboard")).content.decode()
    menu = re.search(r'<nav class="site-nav".*?</nav>', page, re.S).group(0)
    return re.findall(r">([^<>]+)</a>", menu)


@pytest.mark.parametrize(
    ("role", "actor_keys", "expected"),
    [
        (Role.VIEWER, (), ["Dashboard", "Recommendations", "The report", "Export"]),
        (Role.FOCAL_POINT, ("civil-society",),
         ["Dashboard", "Recommendations", "The report", "Export", "Import"]),
        (Role.COORDINATOR, (),
         ["Dashboard", "Recommendations", "The report", "Export", "Import", "Accounts",
          "Audit log", "E-mails sent", "Public site"]),
    ],
)  # fmt: skip
def test_export_and_import_are_in_the_navigation_for_who_may_use_them(
    client, loaded_report, role, actor_keys, expected
):
    client.force_login(account("nav-user", role, actor_keys))
    assert nav(client) == expected


@pytest.mark.parametrize(("role", "mine"), [(Role.FOCAL_POINT, True), (Role.COORDINATOR, False)])
def test_the_import_page_links_to_the_sheet_it_needs(client, loaded_report, role, mine):
    client.force_login(account("importer", role, ("civil-society",)))
    page = client.get(reverse("import")).content.decode()
    link = re.search(r'href="(/export/\?download=1[^"]*format=xlsx[^"]*)"', page).group(1)
    sheet = client.get(link.replace("&amp;", "&"))
    assert sheet.status_code == 200
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ("mine=on" in link) is mine


def test_export_these_0_is_not_offered(client, loaded_report):
    client.force_login(account("reader", Role.VIEWER))
    page = client.get(reverse("recommendations"), {"q": "zyxwvut"}).content.decode()
    assert "0 recommendations" in page
    assert "Export these" not in page
    assert "Export these" in client.get(reverse("recommendations")).content.decode()


def test_the_sort_menu_lists_each_order_once(client, loaded_report):
    client.force_login(account("reader", Role.VIEWER))
    page = client.get(reverse("recommendations")).content.decode()
    menu = re.search(r'<select name="sort".*?</select>', page, re.S).group(0)
    labels = re.findall(r"<option[^>]*>([^<]+)</option>", menu)
    assert len(labels) == len(set(labels))
    assert labels[0] == "Report order"


def test_the_update_form_chooses_no_status_for_the_user(client, line):
    services.status_update_record(
        line_id=line.pk, user=account("coordinator", Role.COORDINATOR), status=Status.PLANNED,
        note="A plan.", effective_date=line.followed_since, evidence_links=[], seen_version=0,
    )  # fmt: skip
    client.force_login(account("focal", Role.FOCAL_POINT, (LINE[1],)))
    page = client.get(reverse("line-update", args=[line.pk])).content.decode()
    assert re.findall(r'<input type="radio" name="status"[^>]*>', page)
    assert not re.search(r'<input type="radio" name="status"[^>]*\bchecked\b', page)
    response = client.post(
        reverse("line-update", args=[line.pk]),
        {"note": "No status chosen", "effective_date": "2014-01-01", "version": "1"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["status"]


def test_the_stale_message_says_it_was_you_in_another_tab(client, line):
    focal = account("focal", Role.FOCAL_POINT, (LINE[1],), first_name="Amina", last_name="Diallo")
    client.force_login(focal)
    url = reverse("line-update", args=[line.pk])
    data = {"status": Status.PLANNED, "note": "First tab", "effective_date": "2014-01-01"}
    assert client.post(url, {**data, "version": "0"}).status_code == 302
    second_tab = client.post(url, {**data, "note": "Second tab", "version": "0"})
    page = second_tab.content.decode()
    assert "You recorded an update on this line at " in page
    assert "in another tab or window" in page
    assert "Amina" not in page.split("You recorded")[1][:80]


def test_the_stale_message_names_the_other_person(client, line):
    other = account("coord", Role.COORDINATOR, first_name="Ana", last_name="Reyes")
    client.force_login(account("focal", Role.FOCAL_POINT, (LINE[1],)))
    services.status_update_record(
        line_id=line.pk, user=other, status=Status.PLANNED, note="From the coordinator",
        effective_date=line.followed_since, evidence_links=[], seen_version=0,
    )  # fmt: skip
    response = client.post(
        reverse("line-update", args=[line.pk]),
        {"status": Status.IN_PROGRESS, "note": "Mine", "effective_date": "2014-01-01",
         "version": "0"},
    )  # fmt: skip
    assert "Ana Reyes recorded an update on this line at " in response.content.decode()


def test_the_admin_header_is_the_apps_name(client, loaded_report):
    client.force_login(get_user_model().objects.create_superuser("root", password="pw"))
    page = client.get(reverse("admin:index")).content.decode()
    assert "2013 hearings on international migration and development · Follow-up tracker" in page


def test_a_focal_points_own_sheet_holds_only_their_lines(client, loaded_report):
    client.force_login(account("importer", Role.FOCAL_POINT, ("civil-society",)))
    page = client.get(reverse("import")).content.decode()
    link = re.search(r'href="(/export/\?download=1[^"]*format=csv[^"]*)"', page).group(1)
    sheet = client.get(link.replace("&amp;", "&"))
    text = b"".join(sheet.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    actors = {row[header("actor", dict(FOLLOW_UP_COLUMNS)["actor"])] for row in rows}
    assert rows
    assert actors == {"civil-society"}
    assert len(rows) == FollowUpLine.objects.active().filter(actor__key="civil-society").count()
