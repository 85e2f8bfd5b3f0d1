"""The demo (`make demo`, DEMO=true): its own database whatever DATABASE_URL says, a
deterministic synthetic history (`manage.py demo_history`), and a demo notice on every page
and in every export. Serving itself (runserver) is not tested."""

import csv
import datetime
import io
import subprocess
from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hearings.models import Recommendation
from tests.fresh_django import environment, run
from tracker import selectors, services
from tracker.demo.history import COORDINATOR, RECOMMENDATIONS, history_record
from tracker.imports import checking, reading
from tracker.models import FINAL_STATUSES, FollowUpLine, Status, StatusUpdate
from tracker.notice import DEMO_NOTICE
from tracker.publication import visibility
from tracker.publication.models import NotePublication, Withholding
from tracker.reports import columns, document
from tracker.reports.options import DEMO_COLUMN, ExportOptions

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
# What the demo makes, whatever day it is made on (a fixed seed; dates follow today).
RECOMMENDATION_COUNT, LINES, ADDED_LINES, UPDATES = 33, 64, 13, 208
OVERDUE, STALE = 4, 6
# Published as recorded (tracker.demo.publishing); fewer shown, one line being kept out.
PUBLISHED, SHOWN = 132, 128
DIALOGUE_PLUS_ONE = datetime.date(2014, 10, 3)


def run_demo_history() -> str:
    out = io.StringIO()
    call_command("demo_history", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(loaded_report, settings):
    settings.DEMO = True
    return run_demo_history()


# ---------------------------------------------------------------- the history


def test_refused_unless_demo_is_on(loaded_report, settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="runs only in a demo: DEMO is off"):
        call_command("demo_history")
    assert not StatusUpdate.objects.exists()


def test_refused_on_a_database_with_a_history_of_its_own(loaded_report, settings, admin_user):
    line = FollowUpLine.objects.first()
    services.status_update_record(line_id=line.pk, user=admin_user, status=Status.PLANNED,
                                  note="Real.", effective_date=datetime.date(2014, 1, 1),
                                  evidence_links=[], seen_version=0)  # fmt: skip
    settings.DEMO = True
    with pytest.raises(CommandError, match="already has a follow-up history of its own"):
        call_command("demo_history")
    assert StatusUpdate.objects.count() == 1


def test_makes_what_it_says(demo):
    assert (
        f"Demo history: {RECOMMENDATION_COUNT} recommendations, {LINES} follow-up lines "
        f"({ADDED_LINES} Member States' lines added by a coordinator), {UPDATES} status updates "
        "(corrections: 1)"
    ) in demo
    assert f"{OVERDUE} lines overdue, {STALE} stale." in demo
    assert (
        f"{PUBLISHED} notes published; the public site is on, one line kept out of public view."
    ) in demo
    assert StatusUpdate.objects.count() == UPDATES
    lines = FollowUpLine.objects.filter(recommendation__code__in=RECOMMENDATIONS)
    assert lines.count() == LINES
    added = lines.filter(added_by__username=COORDINATOR)
    assert added.count() == ADDED_LINES
    assert set(added.values_list("actor__kind", flat=True)) == {"member-state"}
    themes = set(lines.values_list("recommendation__theme__key", flat=True))
    assert themes == {"labour", "rights", "diaspora", "governance"}
    # Statuses spread over the whole vocabulary, a few lines still without information.
    statuses = Counter(lines.values_list("status", flat=True))
    assert set(statuses) == set(Status.values)
    assert all(statuses[s] >= 2 for s in Status.values), statuses


def test_dashboard_shows_overdue_stale_and_recent_lines(demo):
    figures = selectors.dashboard()
    assert (figures["overdue_count"], figures["stale_count"]) == (OVERDUE, STALE)
    recent = figures["recent_updates"]
    assert len(recent) == 10
    assert recent[0].recorded_at > timezone.now() - datetime.timedelta(days=60)
    assert sum(figures["recommendation_totals"].values()) == figures["recommendation_count"]
    assert figures["recommendation_totals"][Status.IMPLEMENTED] >= 1


def test_the_history_is_plausible(demo):
    now, today = timezone.now(), timezone.localdate()
    updates = list(StatusUpdate.objects.select_related("line", "recorded_by"))
    assert min(u.effective_date for u in updates) >= datetime.date(2013, 10, 1)
    assert max(u.effective_date for u in updates) >= today - datetime.timedelta(days=150)
    for u in updates:
        assert u.effective_date <= u.recorded_at.date() <= today
        assert u.recorded_at <= now
        assert u.note
        assert all(link.startswith("https://example.org/demo/") for link in u.evidence_links)
        assert u.recorded_by.username.startswith("demo-")
    assert sum(bool(u.evidence_links) for u in updates) > len(updates) // 4
    for line in FollowUpLine.objects.filter(update_count__gt=0):
        history = list(line.updates.order_by("effective_date", "recorded_at", "id"))
        assert line.current_update_id == history[-1].pk
        assert line.status == history[-1].status
        assert line.last_recorded_at == max(u.recorded_at for u in history)
        assert history[0].effective_date >= line.followed_since
        # Recorded in the order they took effect: not started before planned...
        assert [u.recorded_at for u in history] == sorted(u.recorded_at for u in history)
    # One correction: of an update of the same line, the same day, recorded after it.
    (correction,) = StatusUpdate.objects.filter(corrects__isnull=False)
    wrong = correction.corrects
    assert (wrong.line_id, wrong.effective_date) == (correction.line_id, correction.effective_date)
    assert (wrong.status, correction.recorded_at > wrong.recorded_at) == (Status.IMPLEMENTED, True)
    # Target dates: some met, some ahead, a few overdue (open, and the date passed).
    targets = FollowUpLine.objects.filter(target_date__isnull=False)
    assert targets.filter(target_date__gt=today).exists()
    overdue = targets.filter(target_date__lt=today).exclude(status__in=FINAL_STATUSES)
    assert overdue.count() == OVERDUE


def test_the_report_as_of_3_october_2014_shows_several_statuses(demo):
    report = document.build(
        ExportOptions(recommendations=Recommendation.objects.main(), as_of=DIALOGUE_PLUS_ONE)
    )
    lines = {status: n for status, n in report.line_totals if n}
    assert {Status.NOT_STARTED, Status.PLANNED, Status.IN_PROGRESS} <= set(lines)
    recs = {status: n for status, n in report.recommendation_totals if n}
    assert len(recs) >= 4  # no information, not started, planned, in progress


def test_a_second_run_adds_nothing(demo):
    counts = (StatusUpdate.objects.count(), FollowUpLine.objects.count())
    assert run_demo_history().startswith("The demo history is already in this database")
    assert (StatusUpdate.objects.count(), FollowUpLine.objects.count()) == counts


class _Undo(Exception):
    pass


def _made_on(day):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(12), datetime.UTC)):
        try:
            with transaction.atomic():
                made = history_record()
                raise _Undo
        except _Undo:
            return made


def test_the_same_demo_whatever_day_it_is_made_on(loaded_report, settings):
    settings.DEMO = True
    first, second = _made_on(datetime.date(2026, 3, 1)), _made_on(datetime.date(2029, 9, 30))
    counts = ("lines", "added_lines", "updates", "corrections", "published", "target_dates",
              "overdue", "stale")  # fmt: skip
    assert [getattr(first, c) for c in counts] == [getattr(second, c) for c in counts]
    assert (first.updates, first.overdue, first.stale) == (UPDATES, OVERDUE, STALE)
    assert first.published == PUBLISHED
    assert first.last <= datetime.date(2026, 3, 1) < second.last <= datetime.date(2029, 9, 30)


def test_the_public_site_is_on_with_most_notes_published(demo):
    site = visibility.site()
    assert (site.is_on, site.target_dates_public) == (True, False)
    assert site.changed_by.username == COORDINATOR
    publications = list(NotePublication.objects.select_related("update__recorded_by"))
    assert len(publications) == PUBLISHED
    assert visibility.published_updates().count() == SHOWN
    # A realistic share: most notes, not all; each published by whoever recorded it, as
    # they recorded it; never the update recorded by mistake (its correction says why).
    assert 0.5 < PUBLISHED / UPDATES < 0.8
    assert all(p.published_by_id == p.update.recorded_by_id for p in publications)
    assert all(p.published_at == p.update.recorded_at for p in publications)
    assert {p.update.recorded_by.username for p in publications} > {COORDINATOR}
    (correction,) = StatusUpdate.objects.filter(corrects__isnull=False)
    assert not NotePublication.objects.filter(update=correction.corrects).exists()
    # One Member State's line, added by the coordinator, is kept out while its Government's
    # response is discussed; its published notes are not shown.
    (kept_out,) = Withholding.objects.select_related("line__actor", "withheld_by")
    assert kept_out.line.actor.kind == "member-state"
    assert kept_out.withheld_by.username == COORDINATOR
    assert "Government's response" in kept_out.reason
    hidden = NotePublication.objects.filter(update__line=kept_out.line).count()
    assert hidden == PUBLISHED - SHOWN > 0


# ---------------------------------------------------------------- the notice


def test_every_page_says_it_is_demo_data(demo, client, settings):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    notice = f'<p class="demo-banner" role="note">{DEMO_NOTICE}</p>'
    assert notice in response.content.decode()
    client.force_login(get_user_model().objects.get(username=COORDINATOR))
    for name in ("dashboard", "recommendations", "report", "export"):
        assert notice in client.get(reverse(name)).content.decode(), name
    # Django's admin pages too, in their own style.
    admin_page = client.get(reverse("admin:index")).content.decode()
    assert f'<li class="warning">{DEMO_NOTICE}</li>' in admin_page
    settings.DEMO = False
    assert "demo-banner" not in client.get(reverse("dashboard")).content.decode()
    assert str(DEMO_NOTICE) not in client.get(reverse("admin:index")).content.decode()


def _export(client, **params):
    response = client.get(
        reverse("export"),
        {"as_of": DIALOGUE_PLUS_ONE.isoformat(), "grouping": "theme", "download": "1", **params},
    )
    assert response.status_code == 200
    assert 'filename="demo-progress-2014-10-03-' in response["Content-Disposition"]
    return b"".join(response.streaming_content)


@pytest.fixture
def demo_client(loaded_report, settings, client, admin_user):
    """Demo mode on: the notice does not depend on the history (left out, for speed)."""
    settings.DEMO = True
    client.force_login(admin_user)
    return client


def test_csv_says_so_on_every_row_and_still_imports(demo_client, admin_user):
    data = _export(demo_client, format="csv", theme="labour")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == str(DEMO_COLUMN[0])
    assert rows[0][1:] == [columns.header(k, str(label)) for k, label in columns.FOLLOW_UP_COLUMNS]
    assert {row[0] for row in rows[1:]} == {str(DEMO_COLUMN[1])}
    table = reading.table_read("demo.csv", data)
    assert (table.rows, table.blank) == ([], len(rows) - 1)
    # One row filled in: the import reads it past the demo column.
    header = rows[0]
    rows[1][header.index(columns.header("new_status", "NEW status"))] = "Implemented"
    rows[1][header.index(columns.header("new_note", "NEW note"))] = "Done."
    effective = columns.header("new_effective_date", "NEW effective date (YYYY-MM-DD)")
    rows[1][header.index(effective)] = timezone.localdate().isoformat()
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    table = reading.table_read("demo.csv", ("\ufeff" + out.getvalue()).encode())
    check = checking.status_updates_check(user=admin_user, rows=table.rows, columns=table.columns)
    assert check.errors == []
    assert [c.line.pk for c in check.changes] == [int(rows[1][1])]


def test_excel_summary_first_row_says_so_and_still_imports(demo_client):
    data = _export(demo_client, format="xlsx", theme="labour")
    summary = openpyxl.load_workbook(io.BytesIO(data))["Summary"]
    assert (summary["A1"].value, summary["B1"].value) == ("Demo data", str(DEMO_NOTICE))
    assert summary["A2"].value == "Progress report: recommendations"
    table = reading.table_read("demo.xlsx", data)
    assert table.blank > 0
    assert table.rows == []


def test_word_cover_says_so(demo_client):
    data = _export(demo_client, format="docx", theme="labour")
    paragraphs = [p for p in docx.Document(io.BytesIO(data)).paragraphs if p.text]
    assert paragraphs[0].text == str(DEMO_NOTICE)
    assert paragraphs[0].runs[0].bold


def test_pdf_cover_says_so(demo_client, tmp_path):
    path = tmp_path / "demo.pdf"
    path.write_bytes(_export(demo_client, format="pdf", theme="labour"))
    first_page = subprocess.run(  # noqa: S603
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"],  # noqa: S607
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert " ".join(str(DEMO_NOTICE).split()) in " ".join(first_page.split())


def test_exports_say_nothing_of_a_demo_when_it_is_off(loaded_report, settings):
    settings.DEMO = False
    options = ExportOptions(recommendations=Recommendation.objects.main(), as_of=DIALOGUE_PLUS_ONE)
    assert (options.demo, options.demo_notice) == (False, "")
    assert options.filename() == "progress-2014-10-03.csv"


# ---------------------------------------------------------------- the settings


def _settings_in_a_fresh_interpreter(**env):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(settings.DEMO, db['ENGINE'], db['NAME'], settings.EMAIL_BACKEND, "
        "settings.CACHES['default']['BACKEND'])"
    )
    environ = environment(removed={"DEMO", "DATABASE_URL"}, **env)
    environ["DJANGO_SETTINGS_MODULE"] = "hearings.settings"
    result = run(["-c", code], environ)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_demo_uses_its_own_sqlite_file_whatever_database_url_says():
    demo, engine, name, email, cache = _settings_in_a_fresh_interpreter(
        DEMO="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/hearings",
        CACHE_URL="redis://127.0.0.1:6379/0",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    assert (demo, engine, name) == (
        "True",
        "django.db.backends.sqlite3",
        str(ROOT / "demo.sqlite3"),
    )
    assert email == "django.core.mail.backends.dummy.EmailBackend"
    assert cache == "django.core.cache.backends.db.DatabaseCache"


def test_demo_is_off_by_default():
    demo, engine, name, _email, _cache = _settings_in_a_fresh_interpreter(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/hearings"
    )
    assert (demo, engine, name) == ("False", "django.db.backends.postgresql", "hearings")
