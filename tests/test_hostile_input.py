"""Hostile input, property-based (Hypothesis): whatever arrives through a form, a query
string, a path or an import column gives a page (never a 500), is stored whole or not at
all, and whatever was accepted goes through every export format and every page.

The profile (tests/conftest.py) is derandomized and bounded for CI; HYPOTHESIS_PROFILE=dev
explores more.
"""

import datetime
import io
from urllib.parse import quote, urlencode

import docx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hearings.text import UNSAFE_CHARACTER, normalise_line_breaks, printable, unsafe_character
from tests.imports.test_imports import build_csv, sheet_rows
from tracker.models import FollowUpLine, Profile, Role, Status, StatusUpdate

pytestmark = pytest.mark.django_db

# Fixtures are set up once per test; its examples share them (and its transaction).
SHARED_FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

# Any character a browser or a spreadsheet can send (UTF-8 cannot carry lone surrogates).
SENDABLE = st.characters(codec="utf-8")
HOSTILE_TEXT = st.one_of(
    st.text(SENDABLE, max_size=60),
    st.text(st.sampled_from("\x00\x01\x1b\x7f\x85\r\n\t\ufeff\ufffe\uffff<>&\"'=+-@"), max_size=8),
    st.builds(lambda a, b: a + "\r\n" + b, st.text(SENDABLE, max_size=20), st.text(max_size=20)),
    st.just("x" * 20_000),
)
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)
IN_RANGE = st.dates(min_value=datetime.date(2013, 7, 15), max_value=YESTERDAY).map(str)
DATES = st.one_of(
    IN_RANGE,
    IN_RANGE,
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(str),
    st.sampled_from(["", "2014-02-30", "0001-01-01", "15/07/2013", "2013-07-15T00:00", "9" * 30]),
    st.text(SENDABLE, max_size=12),
)
LINKS = st.one_of(
    st.just(""),
    st.text(SENDABLE, max_size=30).map(lambda path: "https://example.org/" + quote(path)),
    HOSTILE_TEXT,
)
STATUSES = st.one_of(st.sampled_from(Status.values), st.text(SENDABLE, max_size=20))
LINE = ("R42.1", "civil-society")


def with_accepted_examples(test):
    """Examples that must be accepted whatever the strategies draw: markup, formula-like
    text, Windows line breaks and the report's other languages are just text."""
    test = example(
        status="in-progress",
        note="=1+1 <b>plan</b> &amp; budget\r\nadopted",
        links="https://example.org/a\r\nhttps://example.org/b",
        effective="2014-01-01",
    )(test)
    return example(
        status="planned", note="خطة وطنية · 国家计划 · план", links="", effective="2013-07-15"
    )(test)


@pytest.fixture
def coordinator_client(loaded_report, client):
    user = get_user_model().objects.create_user("hostile-coordinator", password="pw-for-tests")
    Profile.objects.create(user=user, role=Role.COORDINATOR)
    client.force_login(user)
    return client


@pytest.fixture
def line(loaded_report):
    return FollowUpLine.objects.select_related("recommendation__paragraph").get(
        recommendation__code=LINE[0], actor__key=LINE[1]
    )


def test_the_text_rule_refuses_exactly_what_xml_cannot_carry():
    """Every code point: the rule and XML 1.0's Char production agree (line breaks aside)."""
    for code in range(0x110000):
        character = chr(code)
        xml_char = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
        xml_char = xml_char or 0x10000 <= code <= 0x10FFFF
        # The rule also refuses DEL and the C1 set, which XML allows but never needs.
        expected = xml_char and not 0x7F <= code <= 0x9F and code != 0xD
        assert (UNSAFE_CHARACTER.search(character) is None) == expected, hex(code)
    assert normalise_line_breaks("a\r\nb\rc\n") == "a\nb\nc\n"
    assert unsafe_character("ok\x1bno") == (3, "U+001B")
    assert printable("a\r\n\x00b\ufffe") == "a\nb"


def exports_of(client, line, history=True):
    """Every export format of the line's paragraph, as of today, with its history."""
    params = {
        "download": "1",
        "as_of": timezone.localdate().isoformat(),
        "paragraph": line.recommendation.paragraph.number,
        "grouping": "theme",
    }
    if history:
        params["history"] = "on"
    files = {}
    for kind in ("csv", "xlsx", "docx", "pdf"):
        response = client.get(reverse("export"), {**params, "format": kind})
        assert response.status_code == 200, (kind, response.status_code)
        files[kind] = b"".join(response.streaming_content)
    return files


def read_back(files) -> str:
    """The exports' text, read with real readers (each must open)."""
    texts = [files["csv"].decode("utf-8-sig")]
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]), read_only=True)
    texts += [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    document = docx.Document(io.BytesIO(files["docx"]))
    texts += [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert files["pdf"].startswith(b"%PDF")
    return "\n".join(texts)


def test_update_form_takes_any_text_and_stores_it_whole_or_not_at_all(coordinator_client, line):
    accepted = []

    @SHARED_FIXTURES
    @given(status=STATUSES, note=HOSTILE_TEXT, links=LINKS, effective=DATES)
    @with_accepted_examples
    def submit(status, note, links, effective):
        before = StatusUpdate.objects.count()
        version = FollowUpLine.objects.get(pk=line.pk).update_count
        response = coordinator_client.post(
            reverse("line-update", args=[line.pk]),
            {
                "status": status,
                "note": note,
                "evidence_links": links,
                "effective_date": effective,
                "version": version,
            },
        )
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            update = StatusUpdate.objects.latest("id")
            assert StatusUpdate.objects.count() == before + 1
            assert update.note == normalise_line_breaks(note).strip()
            assert unsafe_character(update.note) is None
            assert all(unsafe_character(url) is None for url in update.evidence_links)
            accepted.append(update.note)
        else:
            assert StatusUpdate.objects.count() == before  # nothing half-written
            if unsafe_character(normalise_line_breaks(note)):
                assert "control character" in response.content.decode()

    submit()
    assert accepted, "no example was accepted: the strategies never make a valid update"
    page = coordinator_client.get(reverse("recommendation", args=[line.recommendation.code]))
    assert page.status_code == 200
    text = read_back(exports_of(coordinator_client, line))
    for note in accepted[-3:]:  # Word and PDF wrap long text; the CSV holds it whole
        assert note.split("\n")[0][:40] in text


def test_text_stored_before_the_rule_still_exports(coordinator_client, line):
    """A note with control characters written around the forms (an old row, raw SQL) does
    not break any format: the exports clean it."""
    StatusUpdate.objects.create(
        line=line,
        status=Status.IN_PROGRESS,
        # (PostgreSQL itself refuses NUL in text; the other control characters it stores.)
        note="Legacy\x01 note\x1b with controls",
        effective_date=datetime.date(2014, 1, 1),
        evidence_links=["https://example.org/\x0bdoc"],
        recorded_by=get_user_model().objects.get(username="hostile-coordinator"),
        recorded_at=timezone.now(),
    )
    text = read_back(exports_of(coordinator_client, line))
    assert "Legacy note with controls" in text
    assert coordinator_client.get(reverse("recommendation", args=[LINE[0]])).status_code == 200


QUERY_NAMES = [
    "q",
    "theme",
    "agenda",
    "actor",
    "status",
    "chapter",
    "paragraph",
    "overdue",
    "mine",
    "sort",
    "page",
    "kind",
    "state",
    "format",
    "as_of",
    "grouping",
    "history",
    "download",
]
QUERY_KEYS = st.one_of(st.sampled_from(QUERY_NAMES), st.text(SENDABLE, min_size=1, max_size=8))
QUERY_VALUES = st.one_of(HOSTILE_TEXT.filter(lambda v: len(v) < 200), DATES, st.integers().map(str))
PAGES = ["recommendations", "export", "dashboard", "audit", "accounts", "report", "deliveries"]


@SHARED_FIXTURES
@given(
    page=st.sampled_from(PAGES),
    params=st.dictionaries(QUERY_KEYS, QUERY_VALUES, max_size=4),
)
def test_any_query_string_gives_a_page(coordinator_client, page, params):
    if page == "export":
        params.pop("download", None)  # the files themselves are checked above
    response = coordinator_client.get(reverse(page) + "?" + urlencode(params))
    assert response.status_code in (200, 400), (params, response.status_code)


@SHARED_FIXTURES
@given(
    prefix=st.sampled_from(
        ["recommendations/", "report/chapters/", "lines/", "accounts/", "reminders/unsubscribe/"]
    ),
    segment=st.text(SENDABLE, min_size=1, max_size=20),
)
def test_any_path_gives_a_page(coordinator_client, prefix, segment):
    response = coordinator_client.get("/" + prefix + quote(segment, safe="") + "/")
    assert response.status_code in (200, 301, 302, 400, 404), (segment, response.status_code)
    if unsafe_character(segment):
        assert response.status_code == 400
        assert "This address cannot be read" in response.content.decode()


def test_any_import_cells_give_a_preview_and_apply_whole(coordinator_client, line):
    confirmed = []

    @SHARED_FIXTURES
    @given(status=STATUSES, note=HOSTILE_TEXT, links=LINKS, effective=DATES)
    @with_accepted_examples
    def upload(status, note, links, effective):
        cells = {
            "new_status": status,
            "new_note": note,
            "new_effective_date": effective,
            "new_evidence_links": links,
        }
        data = build_csv(sheet_rows([line], {line.pk: cells}))
        before = StatusUpdate.objects.count()
        preview = coordinator_client.post(
            reverse("import"), {"file": SimpleUploadedFile("sheet.csv", data)}
        )
        assert preview.status_code in (200, 400), preview.status_code
        assert StatusUpdate.objects.count() == before  # the dry run writes nothing
        form = preview.context.get("confirm_form") if preview.context else None
        if preview.status_code == 200 and form is not None:
            done = coordinator_client.post(
                reverse("import-confirm"),
                {"token": form.initial["token"], "sha256": form.initial["sha256"]},
            )
            assert done.status_code in (200, 302), done.status_code
            written = StatusUpdate.objects.count() - before
            assert written in (0, 1)
            if written:
                update = StatusUpdate.objects.latest("id")
                assert unsafe_character(update.note) is None
                confirmed.append(update.note)

    upload()
    assert confirmed, "no import was confirmed: the strategies never make a valid row"
    read_back(exports_of(coordinator_client, line))


@SHARED_FIXTURES
@given(first=HOSTILE_TEXT, last=HOSTILE_TEXT, username=st.text(SENDABLE, max_size=20))
def test_account_form_takes_any_names(coordinator_client, first, last, username):
    users = get_user_model().objects.count()
    response = coordinator_client.post(
        reverse("account-new"),
        {
            "username": username,
            "email": "someone@example.org",
            "first_name": first,
            "last_name": last,
            "role": Role.VIEWER,
            "is_active": "on",
        },
    )
    assert response.status_code in (200, 302)
    created = get_user_model().objects.count() - users
    assert created == (1 if response.status_code == 302 else 0)
    if created:
        account = get_user_model().objects.latest("id")
        assert unsafe_character(account.first_name + account.last_name) is None


POST_FORMS = {
    "line-target": ["target_date"],
    "line-add": ["actor", "target_date", "followed_since"],
    "preferences": ["time_zone"],
    "digest-frequency": ["frequency"],
    "login": ["username", "password"],
    "password_reset": ["email"],
}


@pytest.mark.parametrize("name", list(POST_FORMS))
def test_every_other_form_answers_any_input_with_a_page(coordinator_client, line, name):
    args = {"line-target": [line.pk], "line-add": [LINE[0]]}.get(name, [])
    url = reverse(name, args=args)
    lines, users = FollowUpLine.objects.count(), get_user_model().objects.count()

    @SHARED_FIXTURES
    @given(values=st.fixed_dictionaries(dict.fromkeys(POST_FORMS[name], QUERY_VALUES)))
    def submit(values):
        response = coordinator_client.post(url, values)
        assert response.status_code in (200, 302, 400, 429), (values, response.status_code)

    submit()
    assert FollowUpLine.objects.count() - lines <= 1  # at most the one line an example added
    assert get_user_model().objects.count() == users
    stored = FollowUpLine.objects.get(pk=line.pk).target_date
    assert stored is None or datetime.date(2013, 1, 1) <= stored <= datetime.date(2100, 12, 31)
