"""Every page rendered in the pseudo-language (tests/i18n/pseudo.py): whatever English is
left outside the marked messages is a string the catalogues do not reach. Allowed: the
database's content (names, titles, codes; translated by coordinators, not by the
catalogues), the verbatim report (lang="en"), Django's own French, and the listed terms
that stay the same in every language (PDF, CSV...)."""

import zoneinfo

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from hearings.frameworks import GcmObjective, SdgTarget
from hearings.models import Actor, AgendaPoint, Chapter, Recommendation, Report, Section, Theme
from hearings.translation import columns
from tests.test_pages import (
    LINE_REC,
    MATRIX,
    ROLES,
    record,
    resolve_args,
)
from tracker.jobs.models import Job
from tracker.models import StatusUpdate
from tracker.publication import services as publication

from . import pseudo
from .catalogues import same_as_english

pytestmark = pytest.mark.django_db
COORDINATOR = ROLES.index("coordinator")
STAFF_PAGES = [(name, symbols) for name, symbols, method, expected in MATRIX
               if method == "get" and expected[COORDINATOR] == 200]  # fmt: skip
PUBLIC_PAGES = [
    ("public:dashboard", ()),
    ("public:recommendations", ()),
    ("public:recommendation", (LINE_REC,)),
    ("public:actors", ()),
    ("public:actor", ("civil-society",)),
    ("public:report", ()),
    ("public:report-chapter", ("VI",)),
    ("opendata:index", ()),
]


@pytest.fixture
def pseudo_language(settings, tmp_path):
    pseudo.write_catalogue(tmp_path)
    settings.LOCALE_PATHS = [tmp_path]  # Django forgets the catalogues it had loaded


def content_strings():
    """What the database holds and pages show as it is."""
    values = set()
    for model, fields in [
        (Actor, [*columns("name", "short_name"), "key"]),
        (Theme, [*columns("title"), "key"]),
        (AgendaPoint, [*columns("title"), "key"]),
        (GcmObjective, [*columns("title", "short_title"), "key"]),
        (SdgTarget, [*columns("title", "short_title"), "code", "key"]),
        (Recommendation, [*columns("title"), "code"]),
        (Report, [*columns("title", "mandate"), "symbol"]),
        (Chapter, ["title", "numeral"]),
        (Section, ["title"]),
        (StatusUpdate, ["note"]),
        (Job, ["title", "result_name"]),
        (get_user_model(), ["username", "email", "first_name", "last_name"]),
        # What the audit log stored as it was when the change was made.
        (LogEntry, ["object_repr"]),
    ]:
        for row in model.objects.values_list(*fields):
            values.update(str(value) for value in row if value)
    values.update(zoneinfo.available_timezones())  # the time zone menu: IANA's names
    # Each language's own name, as the language menus show it.
    values.update(
        translation.get_language_info(code)["name_local"] for code, _ in settings.LANGUAGES
    )
    values.add(settings.OPEN_DATA_LICENCE)  # the open data's licence: its SPDX identifier
    return pseudo.as_words(values)


def words_allowed() -> frozenset[str]:
    return frozenset(word for term in same_as_english() for word in term.split())


def english_on(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=pseudo.LANGUAGE)
    assert response.status_code == 200, (url, response.status_code)
    if not response["Content-Type"].startswith("text/html"):
        return []  # a download (the audit log's CSV): its words are data, read elsewhere
    assert response["Content-Language"] == pseudo.LANGUAGE
    html = response.content.decode()
    assert pseudo.OPEN in html, f"{url}: no translated string at all"
    return pseudo.english_left(html, content_strings(), words_allowed())


@pytest.mark.usefixtures("pseudo_language", "jobs_here")
@pytest.mark.parametrize(("name", "symbols"), STAFF_PAGES, ids=[n for n, _ in STAFF_PAGES])
def test_staff_page_has_no_english_the_catalogues_miss(
    client, users, line, other_line, request, name, symbols
):
    if "evidence" not in symbols:
        record(line, users["focal-point"])  # a timeline to read
    evidence = request.getfixturevalue("evidence") if "evidence" in symbols else None
    url = reverse(name, args=resolve_args(symbols, users, line, other_line, evidence))
    client.force_login(users["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = pseudo.LANGUAGE
    left = english_on(client, url)
    assert not left, f"{url}: English outside the catalogues:\n" + "\n".join(left[:12])


@pytest.mark.usefixtures("pseudo_language")
@pytest.mark.parametrize(("name", "args"), PUBLIC_PAGES, ids=[n for n, _ in PUBLIC_PAGES])
def test_public_page_has_no_english_the_catalogues_miss(client, users, line, name, args):
    publication.site_set(user=users["coordinator"], is_on=True)
    update = record(line, users["focal-point"], note="Published meanwhile.")
    publication.note_publish(update=update, user=users["coordinator"])
    with translation.override(pseudo.LANGUAGE):
        url = reverse(name, args=args)
    left = english_on(client, url)
    assert not left, f"{url}: English outside the catalogues:\n" + "\n".join(left[:12])
