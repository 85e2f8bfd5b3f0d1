"""Progress exports: the as-of rebuild, every format read back with a real reader, filters,
grouping, caps, formula and markup injection, and pinned query counts."""

import csv
import datetime
import io
import subprocess
from types import SimpleNamespace

import docx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from hearings.models import Actor, Recommendation
from tracker import services
from tracker.models import FollowUpLine, RecommendationProgress, Status, StatusUpdate
from tracker.reports import asof, columns, options

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
LONG_AGO = datetime.datetime(2013, 7, 15, 9, 0, tzinfo=datetime.UTC)
D = datetime.date
INJECTIONS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"]
MARKUP = "<b>bold</b><script>alert(1)</script>"


def line_of(code, actor_key) -> FollowUpLine:
    return FollowUpLine.objects.get(recommendation__code=code, actor__key=actor_key)


def record(line, user, status, note, on, links=()):
    return services.status_update_record(
        line_id=line.pk,
        user=user,
        status=status,
        note=note,
        effective_date=on,
        evidence_links=list(links),
        seen_version=FollowUpLine.objects.get(pk=line.pk).update_count,
    )


@pytest.fixture
def coordinator(db):
    return get_user_model().objects.create_superuser(
        "coord", password=PASSWORD, first_name="Ada", last_name="Coordinator"
    )


@pytest.fixture
def history(loaded_report, coordinator):
    """R38.1 (rights, distress-transit) has two lines with a known history; R38.2's
    Governments line is followed since 1 January 2014. Every other line existed from the start."""
    FollowUpLine.objects.update(created_at=LONG_AGO)
    gov, intl = line_of("R38.1", "governments"), line_of("R38.1", "international-community")
    record(gov, coordinator, Status.PLANNED, "Plan adopted", D(2013, 10, 1))
    record(gov, coordinator, Status.IN_PROGRESS, "Work under way", D(2014, 6, 1),
           links=["https://example.org/progress"])  # fmt: skip
    record(gov, coordinator, Status.IMPLEMENTED, "Done in full", D(2015, 1, 1))
    record(intl, coordinator, Status.NOT_STARTED, "Accepted, not begun", D(2014, 3, 1))
    late = line_of("R38.2", "governments")
    FollowUpLine.objects.filter(pk=late.pk).update(
        created_at=datetime.datetime(2014, 1, 1, 12, 0, tzinfo=datetime.UTC),
        followed_since=D(2014, 1, 1),
    )
    record(late, coordinator, Status.IN_PROGRESS, "Started on a late line", D(2014, 2, 1))
    return SimpleNamespace(gov=gov, intl=intl, late=late, user=coordinator)


@pytest.fixture
def client_for(client, coordinator):
    client.force_login(coordinator)
    return client


def states(as_of, codes=("R38.1", "R38.2")):
    lines = FollowUpLine.objects.filter(recommendation__code__in=codes)
    return {
        line.pk: (line.asof_status, line.asof_note, line.asof_since)
        for line in asof.lines_as_of(lines, as_of)
    }


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.getvalue() if hasattr(response, "getvalue") else response.content


def export(client, **params):
    params.setdefault("as_of", timezone.localdate().isoformat())
    params.setdefault("grouping", "theme")
    return client.get(reverse("export"), {**params, "download": "1"})


def read_csv(response):
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(body(response)))


def pdf_text(response, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(body(response))
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def docx_text(response) -> str:
    document = docx.Document(io.BytesIO(body(response)))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


# ---------------------------------------------------------------- as of a date


def test_statuses_as_of_several_dates_are_rebuilt_from_history(history):
    gov, intl, late = history.gov.pk, history.intl.pk, history.late.pk
    nothing = (Status.NO_INFORMATION, None, None)

    before = states(D(2013, 9, 30))
    assert before[gov] == nothing
    assert before[intl] == nothing
    assert late not in before  # created after the date

    assert states(D(2013, 12, 31))[gov] == (Status.PLANNED, "Plan adopted", D(2013, 10, 1))
    assert late not in states(D(2013, 12, 31))
    assert states(D(2014, 1, 1))[late] == nothing  # exists now, nothing effective yet

    mid = states(D(2014, 6, 1))
    assert mid[gov] == (Status.IN_PROGRESS, "Work under way", D(2014, 6, 1))
    assert mid[intl] == (Status.NOT_STARTED, "Accepted, not begun", D(2014, 3, 1))
    assert mid[late] == (Status.IN_PROGRESS, "Started on a late line", D(2014, 2, 1))
    links = asof.lines_as_of(FollowUpLine.objects.filter(pk=gov), D(2014, 6, 1)).get().asof_links
    assert links == ["https://example.org/progress"]

    assert states(D(2015, 1, 1))[gov][0] == Status.IMPLEMENTED

    lines = FollowUpLine.objects.filter(recommendation__code="R38.1")
    rec = Recommendation.objects.get(code="R38.1").pk
    assert asof.recommendation_statuses_as_of(lines, D(2013, 9, 30))[rec] == Status.NO_INFORMATION
    assert asof.recommendation_statuses_as_of(lines, D(2013, 12, 31))[rec] == Status.PLANNED
    assert asof.recommendation_statuses_as_of(lines, D(2014, 6, 1))[rec] == Status.IN_PROGRESS
    # One line implemented, the other not started: capped at partially implemented.
    rolled = asof.recommendation_statuses_as_of(lines, D(2015, 1, 1))[rec]
    assert rolled == Status.PARTIALLY_IMPLEMENTED


def test_same_effective_date_is_ordered_by_time_recorded_then_id(history):
    line = line_of("R39.1", "governments")
    on = D(2014, 5, 5)

    def create(status, recorded_at):
        return StatusUpdate.objects.create(
            line=line, status=status, note=f"{status} note", effective_date=on,
            recorded_by=history.user, recorded_at=recorded_at,
        )  # fmt: skip

    late_recorded = datetime.datetime(2014, 5, 9, tzinfo=datetime.UTC)
    create(Status.IN_PROGRESS, late_recorded)
    create(Status.PLANNED, datetime.datetime(2014, 5, 6, tzinfo=datetime.UTC))
    assert states(on, ["R39.1"])[line.pk][0] == Status.IN_PROGRESS
    # Same effective date and time recorded: the higher id wins.
    create(Status.NOT_STARTED, late_recorded)
    assert states(on, ["R39.1"])[line.pk][0] == Status.NOT_STARTED
    assert states(on - datetime.timedelta(days=1), ["R39.1"])[line.pk][0] == Status.NO_INFORMATION


def test_as_of_today_equals_the_stored_current_statuses(history):
    user = history.user
    for i, line in enumerate(FollowUpLine.objects.order_by("pk")[:40]):
        for k, status in enumerate(
            [Status.PLANNED, Status.IN_PROGRESS, Status.NOT_STARTED][: i % 4]
        ):
            # Out of order on purpose: the latest effective date is not the last recorded.
            record(line, user, status, f"note {k}", D(2016 - k, 1 + i % 12, 1))
    today = timezone.localdate()
    lines = FollowUpLine.objects.all()
    rebuilt = {line.pk: line.asof_status for line in asof.lines_as_of(lines, today)}
    stored = dict(lines.values_list("pk", "status"))
    assert rebuilt == stored
    rolled = asof.recommendation_statuses_as_of(lines, today)
    for progress in RecommendationProgress.objects.all():
        assert rolled.get(progress.recommendation_id, Status.NO_INFORMATION) == progress.status


# ---------------------------------------------------------------- CSV


def test_csv_is_the_follow_up_sheet_as_of_the_date(history, client_for):
    response = export(client_for, format="csv", as_of="2014-06-01", theme="rights",
                      agenda="distress-transit")  # fmt: skip
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="progress-2014-06-01-rights-distress-transit.csv"'
        in (response["Content-Disposition"])
    )
    header, *rows = read_csv(response)
    assert [columns.header_key(cell) for cell in header] == columns.COLUMN_KEYS
    selected = Recommendation.objects.main().filter(
        theme__key="rights", agenda_points__key="distress-transit"
    )
    expected = (
        FollowUpLine.objects.filter(recommendation__in=selected, addressed=True)
        .exclude(pk=history.late.pk, created_at__date__gt=D(2014, 6, 1))
        .count()
    )
    assert len(rows) == expected
    by_line = {int(row[0]): dict(zip(columns.COLUMN_KEYS, row, strict=True)) for row in rows}
    gov = by_line[history.gov.pk]
    assert (gov["recommendation"], gov["status"], gov["status_since"], gov["note"]) == (
        "R38.1", "in-progress", "2014-06-01", "Work under way",
    )  # fmt: skip
    assert gov["overall_status"] == "in-progress"
    assert gov["evidence_links"] == "https://example.org/progress"
    assert gov["agenda_points"] == "distress-transit"
    # The last update recorded on the line, whatever the date: what an import checks.
    assert gov["last_update_id"] == str(history.gov.updates.order_by("-id").first().pk)
    assert by_line[history.late.pk]["status"] == "in-progress"
    assert {row["recommendation"] for row in by_line.values()} <= set(
        selected.values_list("code", flat=True)
    )

    response = export(client_for, format="csv", as_of="2013-12-31", theme="rights")
    ids = {int(row[0]) for row in read_csv(response)[1:]}
    assert history.late.pk not in ids
    assert history.gov.pk in ids


def test_csv_and_xlsx_neutralise_formulas_and_round_trip(history, client_for):
    lines = list(FollowUpLine.objects.filter(recommendation__code__in=["R39.1", "R38.2"]))
    for line, note in zip(lines, INJECTIONS, strict=False):
        record(line, history.user, Status.PLANNED, note, D(2016, 1, 1))
    notes = {line.pk: note for line, note in zip(lines, INJECTIONS, strict=False)}
    assert len(notes) == len(INJECTIONS)

    rows = read_csv(export(client_for, format="csv", theme="rights"))[1:]
    written = {int(r[0]): r[columns.COLUMN_KEYS.index("note")] for r in rows}
    for pk, note in notes.items():
        assert written[pk] == "'" + note
        assert columns.restore(written[pk]) == note

    sheet = read_xlsx(export(client_for, format="xlsx", theme="rights"))["Follow-up"]
    note_col = columns.COLUMN_KEYS.index("note")
    cells = {row[0].value: row[note_col] for row in sheet.iter_rows(min_row=2)}
    for pk, note in notes.items():
        assert cells[pk].data_type == "s"  # text, not a formula
        assert cells[pk].value == "'" + note
        assert columns.restore(cells[pk].value) == note


# ---------------------------------------------------------------- XLSX


def test_xlsx_has_summary_follow_up_and_history_sheets(history, client_for):
    response = export(client_for, format="xlsx", as_of="2014-06-01", theme="rights", history="on")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('progress-2014-06-01-rights.xlsx"')
    book = read_xlsx(response)
    assert book.sheetnames == ["Summary", "Follow-up", "History"]

    follow_up = book["Follow-up"]
    assert follow_up.freeze_panes == "A2"
    header = [cell.value for cell in follow_up[1]]
    assert [columns.header_key(h) for h in header] == columns.COLUMN_KEYS
    rows = list(follow_up.iter_rows(min_row=2, values_only=True))
    rights = Recommendation.objects.main().filter(theme__key="rights")
    assert len(rows) == FollowUpLine.objects.filter(recommendation__in=rights).count()
    assert follow_up.auto_filter.ref == f"A1:W{len(rows) + 1}"  # 23 columns
    gov = next(r for r in rows if r[0] == history.gov.pk)
    since = gov[columns.COLUMN_KEYS.index("status_since")]
    assert isinstance(since, datetime.datetime)
    assert since.date() == D(2014, 6, 1)
    # The note: 50 characters wide (Excel stores the cell padding with the width).
    assert 50 <= follow_up.column_dimensions["L"].width < 51

    summary = [[c for c in row if c is not None] for row in book["Summary"].values]
    theme_row = next(r for r in summary if r and r[0] == "Migrant rights and protection")
    assert theme_row[-1] == rights.count()
    assert summary[1][1].date() == D(2014, 6, 1)

    history_rows = list(book["History"].iter_rows(min_row=2, values_only=True))
    # Updates effective by the date only, on lines that existed then.
    assert [r[6] for r in history_rows if r[0] == history.gov.pk] == ["planned", "in-progress"]
    assert book["History"].freeze_panes == "A2"


def test_xlsx_history_beyond_a_sheet_is_refused(history, client_for, monkeypatch):
    monkeypatch.setattr(options, "EXCEL_MAX_ROWS", 3)
    response = export(client_for, format="xlsx", theme="rights", history="on")
    assert response.status_code == 400
    assert "more than an Excel sheet holds" in response.content.decode()
    assert export(client_for, format="xlsx", theme="rights").status_code == 200


# ---------------------------------------------------------------- DOCX and PDF


def test_docx_report_holds_codes_statuses_notes_and_markup_as_text(history, client_for):
    record(history.intl, history.user, Status.PLANNED, MARKUP, D(2014, 4, 1))
    response = export(client_for, format="docx", as_of="2014-06-01", theme="rights",
                      history="on")  # fmt: skip
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('progress-2014-06-01-rights.docx"')
    text = docx_text(response)
    assert "Progress as of 1 June 2014" in text
    assert "Theme: Migrant rights and protection" in text
    assert "R38.1 · " in text
    assert "In progress (2014-06-01)" in text
    assert "Work under way" in text
    assert MARKUP in text  # written as text, not interpreted
    assert "Annex: status definitions and method" in text
    assert "Events have overtaken the recommendation" in text
    assert "Restated in" in text or "R38.1" in text


def test_pdf_report_reads_back_with_cover_pages_and_content(history, client_for, tmp_path):
    record(history.intl, history.user, Status.PLANNED, MARKUP, D(2014, 4, 1))
    response = export(client_for, format="pdf", as_of="2014-06-01", theme="rights",
                      agenda="distress-transit", history="on")  # fmt: skip
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(
        'progress-2014-06-01-rights-distress-transit.pdf"'
    )
    text = pdf_text(response, tmp_path)
    assert "Summary of the informal interactive hearings" in text
    assert "15 July 2013" in text
    assert "Progress as of 1 June 2014" in text
    assert "Theme: Migrant rights and protection" in text
    assert "Action agenda point: 3." in text
    assert "by Ada Coordinator" in text
    pages = int(text.split("Page 2 of ")[1].split()[0])
    assert f"Page {pages} of {pages}" in text
    assert "R38.1" in text
    assert "Work under way" in text
    assert "<b>bold</b><script>alert(1)</script>" in text.replace("\n", "")
    assert "statuses are rebuilt from the history" in text.lower()
    assert "R30a" not in text  # filtered out


def test_pdf_grouped_by_actor_gives_each_actor_a_section(history, client_for, tmp_path):
    response = export(client_for, format="pdf", as_of="2014-06-01", theme="rights",
                      agenda="distress-transit", grouping="actor")  # fmt: skip
    assert response["Content-Disposition"].endswith('distress-transit-by-actor.pdf"')
    text = pdf_text(response, tmp_path)
    assert "Follow-up lines by actor and status" in text
    for key in ("governments", "international-community"):
        assert Actor.objects.get(key=key).name in text


# ---------------------------------------------------------------- the page


def test_export_page_needs_login_and_any_role_may_export(history, client):
    url = reverse("export") + "?theme=rights"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    viewer = get_user_model().objects.create_user("viewer", password=PASSWORD)
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200
    rights = Recommendation.objects.main().filter(theme__key="rights").count()
    assert f"{rights} main recommendations match these filters" in response.content.decode()
    assert export(client, format="csv", theme="rights").status_code == 200


def test_list_page_links_to_exporting_exactly_its_recommendations(history, client_for):
    response = client_for.get(reverse("recommendations"), {"theme": "rights", "page": "2"})
    n = Recommendation.objects.main().filter(theme__key="rights").count()
    html = response.content.decode()
    assert f'href="{reverse("export")}?theme=rights">Export these {n}</a>' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"format": "zip"}, "Select a valid choice"),
        ({"format": "csv", "as_of": "2013-07-14"}, "cannot be before the hearings"),
        ({"format": "csv", "as_of": "2999-01-01"}, "cannot be in the future"),
        ({"format": "csv", "as_of": "3 October"}, "Enter a valid date"),
        ({"format": "pdf", "grouping": "colour"}, "Select a valid choice"),
        ({"format": "csv", "theme": "nope"}, "Select a valid choice"),
    ],
)
def test_invalid_options_show_the_form_again_with_errors(history, client_for, params, message):
    response = export(client_for, **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="errorlist"' in html


def test_pdf_and_docx_beyond_the_cap_are_refused_and_point_to_the_command(
    history, client_for, settings
):
    settings.PROGRESS_REPORT_MAX_RECOMMENDATIONS = 5
    for fmt in ("pdf", "docx"):
        response = export(client_for, format=fmt, theme="rights")
        assert response.status_code == 400
        html = response.content.decode()
        assert "cover at most 5" in html
        assert f"manage.py export_progress --format {fmt}" in html
    assert export(client_for, format="csv", theme="rights").status_code == 200
    assert export(client_for, format="pdf", paragraph="38").status_code == 200


# ---------------------------------------------------------------- query counts


def _more_lines(coordinator, factor):
    """Add lines for Member States on the rights recommendations, to scale the export."""
    recs = list(Recommendation.objects.main().filter(theme__key="rights"))
    states = list(Actor.objects.filter(kind="member-state").order_by("key"))
    wanted = len(recs) * factor
    FollowUpLine.objects.bulk_create(
        FollowUpLine(recommendation=rec, actor=state, addressed=False, added_by=coordinator,
                     created_at=LONG_AGO)
        for rec in recs
        for state in states[:factor]
    )  # fmt: skip
    return wanted


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_lines(
    history, client_for, django_assert_num_queries, fmt
):
    # 1 session, 2 user, 3 profile (the user's time zone, middleware),
    # 4 the theme of the filter (form validation), then
    # CSV:  5 the sheet's query (sheet_query: every line as of the date with its roll-up;
    #       PostgreSQL's COPY of it, or a server-side cursor elsewhere);
    # XLSX: 5 themes, 6 agenda points, 7 Global Compact objectives and 8 SDG targets
    #       (Summary rows), 9 the sheet's query, then the selected recommendations 10 per
    #       theme (with those in no agenda point, objective, target) and 11 per agenda
    #       point, objective and target (one UNION ALL; those without a line on the date
    #       count as no information).
    expected = {"csv": 5, "xlsx": 11}[fmt]
    before = len(read_csv(export(client_for, format="csv", theme="rights"))) - 1
    with django_assert_num_queries(expected):
        body(export(client_for, format=fmt, theme="rights"))
    added = _more_lines(history.user, 3)
    assert before + added >= 3 * before  # at least three times the lines
    after = len(read_csv(export(client_for, format="csv", theme="rights"))) - 1
    assert after == before + added
    with django_assert_num_queries(expected):
        body(export(client_for, format=fmt, theme="rights"))


def test_a_line_loaded_today_with_history_reaching_back_is_in_a_past_report(
    loaded_report, coordinator
):
    """Catalogue lines are created at load time; their history may start years earlier."""
    line = line_of("R38.1", "governments")  # created now, by the load
    record(line, coordinator, Status.PLANNED, "Plan adopted", D(2013, 10, 1))

    on_the_day = states(D(2013, 10, 3), codes=("R38.1",))
    before = states(D(2013, 9, 1), codes=("R38.1",))

    assert on_the_day[line.pk] == (Status.PLANNED, "Plan adopted", D(2013, 10, 1))
    # Issue #8 changed the rule: a catalogue line exists from the hearings (15 July 2013),
    # so on 1 September 2013 it is there, with nothing recorded yet.
    assert before[line.pk] == (Status.NO_INFORMATION, None, None)
