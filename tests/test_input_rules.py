"""The rules at every door: text the outputs can carry (hearings.text), dates in range,
addresses no page could mean, and a Summary sheet whose every cell is escaped."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from hearings.models import Recommendation
from tests.hearings.test_admin import change_form_data
from tracker import services
from tracker.accounts.roles import ensure_role_groups
from tracker.models import FollowUpLine, Profile, Role, Status, StatusUpdate

pytestmark = pytest.mark.django_db

LINE = ("R42.1", "civil-society")


@pytest.fixture
def coordinator(loaded_report):
    user = get_user_model().objects.create_user(
        "rules-coordinator", password="pw-for-tests", is_staff=True
    )
    Profile.objects.create(user=user, role=Role.COORDINATOR)
    user.groups.set([ensure_role_groups()[Role.COORDINATOR]])  # the admin's permissions
    return user


@pytest.fixture
def line(loaded_report):
    return FollowUpLine.objects.get(recommendation__code=LINE[0], actor__key=LINE[1])


def post_update(client, line, **fields):
    data = {
        "status": Status.IN_PROGRESS,
        "note": "Work has begun.",
        "evidence_links": "",
        "effective_date": "2014-03-01",
        "version": FollowUpLine.objects.get(pk=line.pk).update_count,
        **fields,
    }
    return client.post(reverse("line-update", args=[line.pk]), data)


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("note", "Budget\x1b approved", "U+001B"),
        ("note", "Budget\x85 approved", "U+0085"),
        ("note", "Budget\x00 approved", "Null characters are not allowed"),
        ("evidence_links", "https://example.org/\x00report", "U+0000"),
        ("evidence_links", "https://example.org/\x01report", "U+0001"),
    ],
)
def test_a_control_character_is_refused_beside_its_field(
    client, coordinator, line, field, value, shown
):
    client.force_login(coordinator)
    response = post_update(client, line, **{field: value})
    assert response.status_code == 200
    assert shown in " ".join(response.context["form"].errors[field])
    assert not StatusUpdate.objects.filter(line=line).exists()


def test_windows_line_breaks_are_stored_as_newlines(client, coordinator, line):
    client.force_login(coordinator)
    response = post_update(
        client,
        line,
        note="First\r\nsecond\rthird",
        evidence_links="https://a.org/\r\nhttps://b.org/",
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get(line=line)
    assert update.note == "First\nsecond\nthird"
    assert update.evidence_links == ["https://a.org/", "https://b.org/"]


def test_the_service_refuses_what_the_forms_refuse(coordinator, line):
    with pytest.raises(Exception, match="U\\+001B"):
        services.status_update_record(
            line_id=line.pk,
            user=coordinator,
            status=Status.PLANNED,
            note="Around\x1b the form",
            effective_date=datetime.date(2014, 1, 1),
            evidence_links=[],
            seen_version=0,
        )
    assert not StatusUpdate.objects.filter(line=line).exists()


def test_the_admin_refuses_a_control_character_in_a_title(client, coordinator):
    rec = Recommendation.objects.get(code="R30a")
    client.force_login(coordinator)
    url = reverse("admin:hearings_recommendation_change", args=[rec.pk])
    response = client.post(url, change_form_data(rec, title="Corrected\x07 title"))
    assert response.status_code == 200
    assert "U+0007" in response.content.decode()
    rec.refresh_from_db()
    assert "\x07" not in rec.title


def test_account_names_refuse_control_characters(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("account-new"),
        {
            "username": "new-viewer",
            "email": "viewer@example.org",
            "first_name": "Ana\x1b[31m",
            "role": Role.VIEWER,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "U+001B" in " ".join(response.context["form"].errors["first_name"])
    assert not get_user_model().objects.filter(username="new-viewer").exists()


@pytest.mark.parametrize(
    "address",
    [
        "/recommendations/%00/",
        "/report/chapters/%00/",
        "/recommendations/R30a%1b/",
        "/recommendations/?q=%00",
        "/recommendations/?theme=labour&q=a%0bb",
        "/export/?%00=1",
        "/auth/login/?next=%00",
    ],
)
@pytest.mark.parametrize("logged_in", [False, True])
def test_an_address_no_page_could_mean_gets_the_400_page(client, coordinator, address, logged_in):
    if logged_in:
        client.force_login(coordinator)
    response = client.get(address)
    assert response.status_code == 400
    assert "This address cannot be read" in response.content.decode()


@pytest.mark.parametrize("date", ["0001-01-01", "2012-12-31", "2101-01-01"])
def test_a_target_date_out_of_range_is_refused(client, coordinator, line, date):
    client.force_login(coordinator)
    response = client.post(reverse("line-target", args=[line.pk]), {"target_date": date})
    assert response.status_code == 200
    assert "between 2013 and 2100" in " ".join(response.context["form"].errors["target_date"])
    line.refresh_from_db()
    assert line.target_date is None


def test_target_dates_in_range_are_taken(client, coordinator, line):
    client.force_login(coordinator)
    for date in ("2013-01-01", "2100-12-31"):
        response = client.post(reverse("line-target", args=[line.pk]), {"target_date": date})
        assert response.status_code == 302
        line.refresh_from_db()
        assert line.target_date.isoformat() == date


def test_the_database_keeps_dates_in_range(coordinator, line):
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpLine.objects.filter(pk=line.pk).update(target_date=datetime.date(1, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(
            line=line,
            status=Status.PLANNED,
            note="Before the hearings",
            effective_date=datetime.date(2013, 7, 14),
            recorded_by=coordinator,
        )


def test_the_summary_sheet_escapes_the_exporting_users_name(client, loaded_report):
    user = get_user_model().objects.create_user(
        "formula", password="pw-for-tests", first_name='=HYPERLINK("http://x")', last_name="Evil"
    )
    Profile.objects.create(user=user, role=Role.VIEWER)
    client.force_login(user)
    response = client.get(
        reverse("export"),
        {"download": "1", "format": "xlsx", "as_of": "2014-01-01", "grouping": "theme"},
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in book["Summary"].iter_rows(values_only=True) for c in row if c]
    names = [c for c in cells if isinstance(c, str) and "HYPERLINK" in c]
    assert names == ['\'=HYPERLINK("http://x") Evil']


@pytest.mark.django_db(transaction=True)
def test_the_dates_migration_lists_stored_dates_out_of_range_and_changes_nothing(
    loaded_report,
):
    executor = MigrationExecutor(connection)
    before = [("tracker", "0004_dashboard_indexes")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    line = old.get_model("tracker", "FollowUpLine").objects.order_by("pk").first()
    old.get_model("tracker", "FollowUpLine").objects.filter(pk=line.pk).update(
        target_date=datetime.date(1, 1, 1)
    )
    executor = MigrationExecutor(connection)
    with pytest.raises(RuntimeError, match=f"follow-up line {line.pk}: target date 0001-01-01"):
        executor.migrate([("tracker", "0005_dates_in_range")])
    stored = old.get_model("tracker", "FollowUpLine").objects.filter(pk=line.pk)
    assert stored.get().target_date == datetime.date(1, 1, 1)
    stored.update(target_date=None)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # The append-only trigger survives the table's rebuilds (SQLite), both ways.
    user = get_user_model().objects.create_user("migrator", password="pw-for-tests")
    Profile.objects.create(user=user, role=Role.COORDINATOR)
    services.status_update_record(
        line_id=line.pk,
        user=user,
        status=Status.PLANNED,
        note="A plan exists.",
        effective_date=datetime.date(2014, 1, 1),
        evidence_links=[],
        seen_version=0,
    )
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        StatusUpdate.objects.update(note="changed")


def test_the_user_admin_refuses_a_control_character_in_a_name(client, loaded_report):
    root = get_user_model().objects.create_superuser("root", password="pw-for-tests")
    target = get_user_model().objects.create_user("target", password="pw-for-tests")
    client.force_login(root)
    url = reverse("admin:auth_user_change", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "username": "target",
            "first_name": "Evil\x01",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 200
    assert "U+0001" in response.content.decode()
    target.refresh_from_db()
    assert target.first_name == ""


def test_a_form_whose_version_is_ahead_of_the_line_gets_a_clear_message(client, coordinator, line):
    client.force_login(coordinator)
    response = post_update(client, line, version="7")
    assert response.status_code == 200
    assert "This form is out of date" in response.content.decode()
    assert not StatusUpdate.objects.filter(line=line).exists()


def test_date_pickers_are_bounded_by_the_hearings_and_today_of_each_form(line):
    import time_machine

    from tracker.forms import LineAddForm, StatusUpdateForm
    from tracker.reports.forms import ExportForm

    with time_machine.travel(datetime.datetime(2030, 5, 6, 12, tzinfo=datetime.UTC)):
        forms = [
            StatusUpdateForm(line=line).fields["effective_date"],
            LineAddForm(recommendation=line.recommendation).fields["followed_since"],
            ExportForm().fields["as_of"],
        ]
    for field in forms:
        assert field.widget.attrs["min"] == "2013-07-15"
        assert field.widget.attrs["max"] == "2030-05-07"  # noon UTC is the 7th at UTC+14
