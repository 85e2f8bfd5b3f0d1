"""Bulk import of status updates: reading files, the dry run, confirming, limits, permissions."""

import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from hearings.models import Actor
from tracker import services
from tracker.imports import applying, checking, reading
from tracker.inputs import latest_today
from tracker.models import FollowUpLine, Profile, Role, Status, StatusUpdate
from tracker.reports.columns import FOLLOW_UP_COLUMNS, header, header_key, neutralise

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
TODAY = datetime.date.today()
LAST_WEEK = (TODAY - datetime.timedelta(days=7)).isoformat()


# ---------------------------------------------------------------- helpers


def make_account(username, role, actor_keys=()):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    profile = Profile.objects.create(user=user, role=role)
    if actor_keys:
        profile.actors.set(Actor.objects.filter(key__in=actor_keys))
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lines_of(actor_key, n=None) -> list[FollowUpLine]:
    lines = FollowUpLine.objects.filter(actor__key=actor_key).order_by("pk")
    return list(lines[:n] if n else lines)


def record(line, user, status="planned", note="A plan exists.", days_ago=30):
    return services.status_update_record(
        line_id=line.pk,
        user=user,
        status=status,
        note=note,
        effective_date=TODAY - datetime.timedelta(days=days_ago),
        evidence_links=[],
        seen_version=FollowUpLine.objects.get(pk=line.pk).update_count,
    )


def sheet_rows(lines, new=None) -> list[list]:
    """Rows in the follow-up sheet's column order, as an export writes them.

    `last_update_id` is the line's last recorded update; `new` maps a line id to the
    new_* cells (or a whole-row override) the user typed.
    """
    new = new or {}
    lines = FollowUpLine.objects.filter(pk__in=[line.pk for line in lines]).select_related(
        "recommendation", "actor", "current_update"
    )
    latest = dict(
        StatusUpdate.objects.values("line_id").annotate(m=Max("id")).values_list("line_id", "m")
    )
    rows = []
    for line in sorted(lines, key=lambda x: x.pk):
        cells = {
            "line_id": line.pk,
            "recommendation": line.recommendation.code,
            "title": line.recommendation.title,
            "actor": line.actor.key,
            "actor_name": line.actor.name,
            "status": line.get_status_display(),
            "status_since": line.status_since,
            "note": line.current_update.note if line.current_update else "",
            "last_update_id": latest.get(line.pk, ""),
            **new.get(line.pk, {}),
        }
        rows.append([cells.get(key, "") for key, _label in FOLLOW_UP_COLUMNS])
    return rows


def build_csv(rows, columns=FOLLOW_UP_COLUMNS, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([header(key, label) for key, label in columns])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def build_xlsx(rows, columns=FOLLOW_UP_COLUMNS, raw=False) -> bytes:
    """An XLSX with a Summary sheet first, as the export writes; raw=True skips escaping."""
    book = openpyxl.Workbook()
    book.active.title = "Summary"
    book.active.append(["Status", "Count"])
    sheet = book.create_sheet("Follow-up")
    sheet.append([header(key, label) for key, label in columns])
    for row in rows:
        sheet.append([v if raw else neutralise(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build(kind, rows, **kwargs) -> bytes:
    return build_csv(rows, **kwargs) if kind == "csv" else build_xlsx(rows, **kwargs)


def new_cells(status="In progress", note="Work has begun.", date=LAST_WEEK, links=""):
    return {
        "new_status": status,
        "new_note": note,
        "new_effective_date": date,
        "new_evidence_links": links,
    }


def upload(client, data: bytes, name="follow-up.csv"):
    return client.post(reverse("import"), {"file": SimpleUploadedFile(name, data)})


def confirm(client, response):
    form = response.context["confirm_form"]
    return client.post(
        reverse("import-confirm"),
        {"token": form.initial["token"], "sha256": form.initial["sha256"]},
    )


def check_file(user, data: bytes, name="follow-up.csv") -> checking.ImportCheck:
    table = reading.table_read(name, data)
    check = checking.status_updates_check(user=user, rows=table.rows, columns=table.columns)
    check.unchanged += table.blank
    return check


def errors_of(check) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.letter) for e in check.errors]


@pytest.fixture
def coordinator(loaded_report):
    return make_account("coord", Role.COORDINATOR)


@pytest.fixture
def focal(loaded_report):
    return make_account("focal", Role.FOCAL_POINT, ["civil-society"])


# ---------------------------------------------------------------- permissions


def test_anonymous_is_sent_to_log_in(loaded_report):
    client = Client()
    for response in (
        client.get(reverse("import")),
        client.post(reverse("import")),
        client.post(reverse("import-confirm")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_viewer_may_not_import(loaded_report):
    client = client_for(make_account("viewer", Role.VIEWER))
    assert client.get(reverse("import")).status_code == 403
    data = build_csv(sheet_rows(lines_of("civil-society", 1)))
    assert upload(client, data).status_code == 403
    assert client.post(reverse("import-confirm"), {"token": "x", "sha256": "y"}).status_code == 403


def test_confirm_accepts_post_only_and_needs_csrf(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert client.get(reverse("import-confirm")).status_code == 405
    assert client.post(reverse("import-confirm"), {"token": "x", "sha256": "y"}).status_code == 403


def test_focal_point_imports_own_lines_only(focal):
    own = lines_of("civil-society", 2)
    other = lines_of("governments", 1)
    new = {line.pk: new_cells(note=f"Own line {line.pk}.") for line in own}
    new[other[0].pk] = new_cells(note="Not mine.")
    client = client_for(focal)
    assert client.get(reverse("import")).status_code == 200

    response = upload(client, build_csv(sheet_rows(own + other, new)))
    check = response.context["check"]
    assert [c.line.pk for c in check.changes] == [line.pk for line in own]
    assert len(check.errors) == 1
    assert check.errors[0].column == "line_id"
    assert check.errors[0].message.startswith("No permission")
    assert response.context["confirm_form"] is None  # any error: confirming not offered
    assert StatusUpdate.objects.count() == 0

    # Without the foreign row, the focal point's own lines go through.
    del new[other[0].pk]
    response = upload(client, build_csv(sheet_rows(own + other, new)))
    assert response.context["check"].unchanged == 1
    assert confirm(client, response).status_code == 302
    assert sorted(StatusUpdate.objects.values_list("line_id", flat=True)) == [x.pk for x in own]


def test_coordinator_previews_then_confirms_and_is_the_author(coordinator):
    lines = lines_of("governments", 3)
    new = {lines[0].pk: new_cells(), lines[2].pk: new_cells("implemented", "Done.", links="")}
    new[lines[2].pk]["new_evidence_links"] = "https://example.org/a\nhttp://example.org/b"
    client = client_for(coordinator)

    response = upload(client, build_xlsx(sheet_rows(lines, new)), "follow-up.xlsx")
    assert response.status_code == 200
    check = response.context["check"]
    assert [(c.row, c.line.pk, c.status) for c in check.changes] == [
        (2, lines[0].pk, "in-progress"),
        (4, lines[2].pk, "implemented"),
    ]
    assert (check.errors, check.unchanged) == ([], 1)
    body = response.content.decode()
    assert lines[0].recommendation.code in body
    assert "Confirm and record" in body
    assert StatusUpdate.objects.count() == 0  # the dry run writes nothing

    response = confirm(client, response)
    assert response.status_code == 302
    assert response["Location"] == reverse("import")
    updates = list(StatusUpdate.objects.order_by("line_id"))
    assert [(u.line_id, u.status, u.recorded_by) for u in updates] == [
        (lines[0].pk, "in-progress", coordinator),
        (lines[2].pk, "implemented", coordinator),
    ]
    assert updates[1].evidence_links == ["https://example.org/a", "http://example.org/b"]
    assert updates[0].effective_date.isoformat() == LAST_WEEK
    line = FollowUpLine.objects.get(pk=lines[2].pk)
    assert (line.status, line.update_count) == ("implemented", 1)
    assert "2 updates recorded" in client.get(reverse("import")).content.decode()

    # The same confirmation again records nothing more.
    again = client.post(reverse("import-confirm"), {"token": "x", "sha256": "y"})
    assert again.status_code == 302
    assert StatusUpdate.objects.count() == 2


# ---------------------------------------------------------------- the dry run's rules


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_each_error_is_reported_by_row_and_column(coordinator, kind):
    lines = lines_of("governments", 13)
    record(lines[11], coordinator)  # the file below claims an older version of this line
    too_late = (latest_today() + datetime.timedelta(days=1)).isoformat()
    new = {
        lines[0].pk: new_cells(status="finished"),
        lines[1].pk: new_cells(note="   "),
        lines[2].pk: new_cells(date=""),
        lines[3].pk: new_cells(date="15/07/2014"),
        lines[4].pk: new_cells(date="2013-07-14"),
        lines[5].pk: new_cells(date=too_late),
        lines[6].pk: new_cells(links="ftp://example.org/file\nhttps://example.org/ok"),
        lines[7].pk: new_cells(status=""),
        lines[8].pk: {"line_id": 999_999, **new_cells()},
        lines[9].pk: {"line_id": "R30a", **new_cells()},
        lines[10].pk: {"line_id": lines[12].pk, **new_cells()},  # line 12 is also row 14
        lines[11].pk: {"last_update_id": "", **new_cells()},
        lines[12].pk: new_cells(status="IN PROGRESS", note="Fine."),
    }
    check = check_file(coordinator, build(kind, sheet_rows(lines, new)), f"f.{kind}")
    assert errors_of(check) == [
        (2, "new_status", "Q"),
        (3, "new_note", "R"),
        (4, "new_effective_date", "S"),
        (5, "new_effective_date", "S"),
        (6, "new_effective_date", "S"),
        (7, "new_effective_date", "S"),
        (8, "new_evidence_links", "T"),
        (9, "new_status", "Q"),
        (10, "line_id", "A"),
        (11, "line_id", "A"),
        (13, "last_update_id", "P"),
        (14, "line_id", "A"),
    ]
    messages = [e.message for e in check.errors]
    assert "“finished” is not a status" in messages[0]
    assert "Write a note" in messages[1]
    assert "YYYY-MM-DD" in messages[2]
    assert "“15/07/2014” is not a date" in messages[3]
    assert "before the hearings" in messages[4]
    assert "in the future" in messages[5]
    assert "Not an http(s) link: ftp://example.org/file" in messages[6]
    assert "Give the new status" in messages[7]
    assert "No follow-up line has the id “999999”" in messages[8]
    assert "“R30a”" in messages[9]
    assert messages[10].startswith("Conflict")
    assert "already updated in row 12" in messages[11]
    assert [(c.row, c.status, c.note) for c in check.changes] == [
        (12, "in-progress", "Work has begun.")
    ]
    assert check.errors[0].column_label == "NEW status [new_status]"


def test_errors_show_on_the_preview_page(coordinator):
    line = lines_of("governments", 1)[0]
    data = build_csv(sheet_rows([line], {line.pk: new_cells(status="finished")}))
    response = upload(client_for(coordinator), data)
    body = response.content.decode()
    assert "Q · NEW status [new_status]" in body
    assert "is not a status" in body
    assert "Confirm and record" not in body


def test_status_accepts_its_key_or_its_label_in_any_case(coordinator):
    lines = lines_of("governments", 4)
    spellings = ["in-progress", "In progress", "PARTIALLY IMPLEMENTED", "will-not-be-implemented"]
    new = {line.pk: new_cells(status=s) for line, s in zip(lines, spellings, strict=True)}
    check = check_file(coordinator, build_csv(sheet_rows(lines, new)))
    assert check.errors == []
    assert [c.status for c in check.changes] == [
        "in-progress", "in-progress", "partially-implemented", "will-not-be-implemented",
    ]  # fmt: skip


def test_a_row_repeating_the_current_status_and_note_adds_nothing(coordinator):
    line = lines_of("governments", 1)[0]
    record(line, coordinator, "planned", "A plan exists.")
    rows = sheet_rows([line], {line.pk: new_cells(status="Planned", note="A plan exists. ")})
    check = check_file(coordinator, build_csv(rows))
    assert (check.changes, check.errors, check.unchanged) == ([], [], 1)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_re_importing_an_export_changes_nothing(coordinator, kind):
    lines = lines_of("governments", 5)
    record(lines[1], coordinator, "in-progress", "=SUM(A1) is how they count.")
    client = client_for(coordinator)

    untouched = build(kind, sheet_rows(lines))
    response = upload(client, untouched, f"export.{kind}")
    check = response.context["check"]
    assert (len(check.changes), len(check.errors), check.unchanged) == (0, 0, 5)
    assert response.context["confirm_form"] is None

    # new_* copied from the current status and note, where there is one: still nothing.
    line = FollowUpLine.objects.select_related("current_update").get(pk=lines[1].pk)
    repeat = {line.pk: new_cells(status=line.status, note=line.current_update.note)}
    response = upload(client, build(kind, sheet_rows(lines, repeat)), f"export.{kind}")
    check = response.context["check"]
    assert (len(check.changes), len(check.errors), check.unchanged) == (0, 0, 5)
    assert StatusUpdate.objects.count() == 1


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_formula_looking_notes_round_trip_exactly(coordinator, kind):
    notes = ["=1+1", "+x", "@SUM(A1)", "-5 shelters", "'quoted'", '=HYPERLINK("http://x")']
    lines = lines_of("governments", len(notes))
    new = {line.pk: new_cells(note=note) for line, note in zip(lines, notes, strict=True)}
    data = build(kind, sheet_rows(lines, new))
    table = reading.table_read(f"f.{kind}", data)
    applying.status_updates_import(user=coordinator, rows=table.rows, columns=table.columns)
    recorded = StatusUpdate.objects.order_by("line_id").values_list("note", flat=True)
    assert list(recorded) == notes

    # Exported again (neutralised) and re-imported with the same notes: nothing to add.
    repeat = {line.pk: new_cells(note=note) for line, note in zip(lines, notes, strict=True)}
    check = check_file(coordinator, build(kind, sheet_rows(lines, repeat)), f"f.{kind}")
    assert (check.changes, check.errors, check.unchanged) == ([], [], len(notes))


def test_formulas_in_an_xlsx_are_read_as_text_never_evaluated(coordinator):
    line = lines_of("governments", 1)[0]
    rows = sheet_rows([line], {line.pk: new_cells(note="=1+1")})
    check = check_file(coordinator, build_xlsx(rows, raw=True), "f.xlsx")
    assert [c.note for c in check.changes] == ["=1+1"]


def test_csv_saved_with_semicolons_and_dates_typed_in_excel(coordinator):
    lines = lines_of("governments", 2)
    new = {
        lines[0].pk: new_cells(),
        lines[1].pk: new_cells(date=datetime.datetime(2020, 5, 4)),
    }
    check = check_file(coordinator, build_csv(sheet_rows(lines[:1], new), delimiter=";"))
    assert [c.line.pk for c in check.changes] == [lines[0].pk]
    check = check_file(coordinator, build_xlsx(sheet_rows(lines, new)), "f.xlsx")
    assert [c.effective_date for c in check.changes][1] == datetime.date(2020, 5, 4)


# ---------------------------------------------------------------- limits and hostile files


def file_error(user, data, name="f.csv") -> str:
    client = client_for(user)
    response = upload(client, data, name)
    assert response.status_code == 200
    assert "check" not in response.context
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    return errors[0]


def test_file_larger_than_the_limit_is_refused(coordinator, settings):
    settings.IMPORT_MAX_BYTES = 1000
    data = build_csv(sheet_rows(lines_of("governments", 20)))
    assert len(data) > 1000
    assert "larger than" in file_error(coordinator, data)


def test_too_many_rows_are_refused(coordinator, settings):
    settings.IMPORT_MAX_ROWS = 3
    lines = lines_of("governments", 4)
    assert "more than 3 rows" in file_error(coordinator, build_csv(sheet_rows(lines)))
    assert check_file(coordinator, build_csv(sheet_rows(lines[:3]))).unchanged == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("follow-up.txt", b"line_id\n1\n", "Upload a .csv or .xlsx file"),
        ("follow-up.xls", b"\xd0\xcf\x11\xe0 old excel", "Upload a .csv or .xlsx file"),
        ("follow-up", b"line_id\n", "Upload a .csv or .xlsx file"),
        ("follow-up.xlsx", b"Line id [line_id],x\n1,2\n", "not an XLSX workbook"),
        ("follow-up.csv", b"caf\xe9,th\xe9\n", "not UTF-8"),
        ("follow-up.csv", b"a,b\x00,c\n", "NUL bytes"),
        ("follow-up.csv", b"", "file is empty"),
        ("follow-up.csv", b"name,value\n1,2\n", "lacks these columns"),
    ],
)
def test_wrong_type_or_content_is_refused(coordinator, name, content, message):
    assert message in file_error(coordinator, content, name)


def test_an_xlsx_given_as_csv_is_refused(coordinator):
    data = build_xlsx(sheet_rows(lines_of("governments", 1)))
    assert "NUL bytes" in file_error(coordinator, data, "f.csv")


def test_missing_columns_are_named(coordinator):
    columns = [c for c in FOLLOW_UP_COLUMNS if c[0] not in {"last_update_id", "new_note"}]
    message = file_error(coordinator, build_csv([], columns=columns))
    assert "Last update id (do not change) [last_update_id]" in message
    assert "NEW note [new_note]" in message


def test_corrupt_xlsx_is_refused(coordinator):
    data = build_xlsx(sheet_rows(lines_of("governments", 3)))
    assert "damaged" in file_error(coordinator, data[: len(data) // 2] + b"\0" * 100, "f.xlsx")
    # A valid zip that is not a workbook.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert "damaged" in file_error(coordinator, out.getvalue(), "f.xlsx")


def test_zip_bomb_like_xlsx_is_refused_before_reading(coordinator):
    data = build_xlsx(sheet_rows(lines_of("governments", 1)))
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            bomb.writestr(item, source.read(item))
        bomb.writestr("xl/media/padding.xml", b"\0" * (60 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024  # small on the wire, 60 MB unpacked
    assert "unpacks to more than 50 MB" in file_error(coordinator, out.getvalue(), "f.xlsx")


def test_xlsx_with_an_entity_declaration_is_refused(coordinator):
    data = build_xlsx(sheet_rows(lines_of("governments", 1)))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.endswith("sheet2.xml"):
                content = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + content
            target.writestr(item, content)
    assert "declares XML entities" in file_error(coordinator, out.getvalue(), "f.xlsx")


def test_csv_with_an_absurd_field_is_refused(coordinator):
    line = lines_of("governments", 1)[0]
    rows = sheet_rows([line], {line.pk: new_cells(note="x" * (csv.field_size_limit() + 10))})
    assert "cannot be read near line 2" in file_error(coordinator, build_csv(rows))


def test_note_longer_than_the_form_allows_is_an_error(coordinator):
    line = lines_of("governments", 1)[0]
    rows = sheet_rows([line], {line.pk: new_cells(note="x" * 10_001)})
    check = check_file(coordinator, build_csv(rows))
    assert errors_of(check) == [(2, "new_note", "R")]


# ---------------------------------------------------------------- one transaction


def test_a_line_updated_between_preview_and_confirm_rolls_back_everything(coordinator):
    lines = lines_of("governments", 3)
    new = {line.pk: new_cells(note=f"Row for {line.pk}.") for line in lines}
    client = client_for(coordinator)
    response = upload(client, build_csv(sheet_rows(lines, new)))
    assert len(response.context["check"].changes) == 3

    someone = make_account("someone", Role.COORDINATOR)
    record(lines[2], someone, "planned", "Recorded meanwhile.")
    response = confirm(client, response)

    assert response.status_code == 200
    assert response.context["rejected"]
    check = response.context["check"]
    assert [(e.row, e.column) for e in check.errors] == [(4, "last_update_id")]
    assert "Nothing was recorded" in response.content.decode()
    assert list(StatusUpdate.objects.values_list("note", flat=True)) == ["Recorded meanwhile."]
    assert response.context["confirm_form"] is None


def test_a_failure_while_applying_undoes_the_rows_already_applied(coordinator, monkeypatch):
    lines = lines_of("governments", 3)
    new = {line.pk: new_cells(note=f"Row for {line.pk}.") for line in lines}
    table = reading.table_read("f.csv", build_csv(sheet_rows(lines, new)))
    record_for_real = services.status_update_record
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["line_id"])
        if len(calls) == 3:
            raise services.StaleLine([])
        return record_for_real(**kwargs)

    monkeypatch.setattr(services, "status_update_record", flaky)
    with pytest.raises(checking.ImportRejected):
        applying.status_updates_import(user=coordinator, rows=table.rows)
    assert len(calls) == 3
    assert StatusUpdate.objects.count() == 0
    assert set(FollowUpLine.objects.values_list("update_count", flat=True)) == {0}


def test_permission_lost_before_confirming_rolls_back(focal):
    lines = lines_of("civil-society", 2)
    new = {line.pk: new_cells() for line in lines}
    client = client_for(focal)
    response = upload(client, build_csv(sheet_rows(lines, new)))
    assert len(response.context["check"].changes) == 2
    focal.profile.actors.clear()
    response = confirm(client, response)
    assert {e.message[:13] for e in response.context["check"].errors} == {"No permission"}
    assert StatusUpdate.objects.count() == 0


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize("n", [10, 30])
def test_dry_run_queries_do_not_grow_with_rows(loaded_report, django_assert_num_queries, n):
    coordinator = make_account("coord", Role.COORDINATOR)
    lines = lines_of("governments", n)
    for line in lines[:3]:
        record(line, coordinator)
    new = {line.pk: new_cells(note=f"Row {line.pk}.") for line in lines}
    table = reading.table_read("f.csv", build_csv(sheet_rows(lines, new)))
    user = get_user_model().objects.get(pk=coordinator.pk)  # nothing cached on it
    # 1. the lines named in the file with recommendation, actor, current update and the id
    #    of their last recorded update (a subquery); 2. the uploader's profile (role).
    with django_assert_num_queries(2):
        check = checking.status_updates_check(user=user, rows=table.rows)
    assert len(check.changes) == n


@pytest.mark.parametrize("n", [10, 30])
def test_dry_run_queries_for_a_focal_point(loaded_report, django_assert_num_queries, n):
    lines = lines_of("governments", n)
    focal = make_account("focal", Role.FOCAL_POINT, ["governments"])
    new = {line.pk: new_cells(note=f"Row {line.pk}.") for line in lines}
    table = reading.table_read("f.csv", build_csv(sheet_rows(lines, new)))
    user = get_user_model().objects.get(pk=focal.pk)
    # 1. the lines (as above); 2. the profile (role); 3. the actors the focal point reports for.
    with django_assert_num_queries(3):
        check = checking.status_updates_check(user=user, rows=table.rows)
    assert len(check.changes) == n


# ---------------------------------------------------------------- round trip with the export


def export_bytes(kind, codes) -> bytes:
    from hearings.models import Recommendation
    from tracker.reports import writing
    from tracker.reports.options import ExportOptions

    options = ExportOptions(
        recommendations=Recommendation.objects.main().filter(code__in=codes),
        as_of=TODAY,
        format=kind,
    )
    out = io.BytesIO()
    writing.write(options, out)
    return out.getvalue()


def fill_new_columns(kind, data: bytes, edit) -> bytes:
    """Edit an exported file as a person would: only the new_* cells, via `edit(cells)`."""
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        keys = [header_key(cell) for cell in rows[0]]
        for row in rows[1:]:
            cells = dict(zip(keys, row, strict=True))
            edit(cells)
            row[:] = [cells[key] for key in keys]
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Follow-up"]
    keys = [header_key(cell.value) for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cells = {key: cell.value for key, cell in zip(keys, row, strict=True)}
        edit(cells)
        for key, cell in zip(keys, row, strict=True):
            cell.value = cells[key]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(coordinator, kind):
    codes = ["R30a", "R30b", "R42.1"]
    lines = list(FollowUpLine.objects.filter(recommendation__code__in=codes).order_by("pk"))
    record(lines[0], coordinator, "in-progress", "=1+1 shelters, +x, @SUM(A1)", days_ago=10)
    # Recorded last but effective earlier: the current update is not the last recorded one.
    record(lines[0], coordinator, "planned", "-A plan came first.", days_ago=40)
    record(lines[1], coordinator, "implemented", "'Done', they said.", days_ago=5)
    before = StatusUpdate.objects.count()
    data = export_bytes(kind, codes)

    check = check_file(coordinator, data, f"export.{kind}")
    assert (check.changes, check.errors, check.unchanged) == ([], [], len(lines))

    def repeat_current(cells):
        cells["new_status"], cells["new_note"] = cells["status"], cells["note"]

    check = check_file(coordinator, fill_new_columns(kind, data, repeat_current), f"e.{kind}")
    assert (check.changes, check.errors, check.unchanged) == ([], [], len(lines))

    def one_change(cells):
        if str(cells["line_id"]) == str(lines[0].pk):
            cells.update(new_status="Partially implemented", new_note="=Half done",
                         new_effective_date=LAST_WEEK)  # fmt: skip

    edited = fill_new_columns(kind, data, one_change)
    table = reading.table_read(f"e.{kind}", edited)
    check = applying.status_updates_import(user=coordinator, rows=table.rows)
    assert [(c.line.pk, c.status, c.note) for c in check.changes] == [
        (lines[0].pk, "partially-implemented", "=Half done")
    ]
    assert StatusUpdate.objects.count() == before + 1
    # The same edited file uploaded again: its row now repeats the line, so nothing twice.
    check = check_file(coordinator, edited, f"e.{kind}")
    assert (check.changes, check.errors, check.unchanged) == ([], [], len(lines))


def test_too_much_text_to_keep_for_confirming_is_refused(coordinator, settings):
    lines = lines_of("governments", 30)
    new = {line.pk: new_cells(note="x" * 2000) for line in lines}
    data = build_xlsx(sheet_rows(lines, new))  # shared strings: small file, much text
    settings.IMPORT_MAX_BYTES = len(data) + 100
    response = upload(client_for(coordinator), data, "f.xlsx")
    assert len(response.context["check"].changes) == 30
    assert response.context["confirm_form"] is None
    assert "too much text" in response.content.decode()


def test_status_accepts_its_label_in_any_of_the_six_languages(coordinator):
    """French, Arabic and Chinese labels (the compiled catalogues'), trimmed, any case."""
    from django.utils import translation

    wanted = [(Status.IN_PROGRESS, "fr"), (Status.IMPLEMENTED, "ar"),
              (Status.PLANNED, "zh-hans"), (Status.NOT_STARTED, "fr")]  # fmt: skip
    spellings = []
    for status, language in wanted:
        with translation.override(language):
            label = str(status.label)
        with translation.override("en"):
            english = str(status.label)
        assert label != english, f"no {language} translation of {english!r}: compile one"
        spellings.append(f"  {label.upper()} ")
    lines = lines_of("governments", len(wanted))
    new = {line.pk: new_cells(status=s) for line, s in zip(lines, spellings, strict=True)}
    check = check_file(coordinator, build_csv(sheet_rows(lines, new)))
    assert check.errors == []
    assert [c.status for c in check.changes] == [status.value for status, _ in wanted]
    # Unknown: the same error as before, listing the statuses.
    new = {lines[0].pk: new_cells(status="Terminé presque")}
    check = check_file(coordinator, build_csv(sheet_rows(lines[:1], new)))
    assert [e.message for e in check.errors] == [
        "“Terminé presque” is not a status. Use one of: "
        + ", ".join(str(s.label) for s in Status)
        + "."
    ]
