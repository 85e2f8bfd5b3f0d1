"""Every staff and public page in each of the six languages: it answers, says its language
and direction, and reads in that language."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.test_pages import (
    record,
    resolve_args,
)
from tracker.publication import services as publication

from .pseudo import VOID
from .test_pseudo_language import PUBLIC_PAGES, STAFF_PAGES

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _name in settings.LANGUAGES]
HTML_TAG = re.compile(r'<html lang="([^"]+)" dir="(rtl|ltr)"')


def read_in(response, code):
    assert response.status_code == 200
    html = response.content.decode()
    lang, direction = HTML_TAG.search(html).groups()
    assert (lang, direction) == (code, "rtl" if code == "ar" else "ltr")
    assert response["Content-Language"] == code
    with translation.override(code):
        # A string every page has, in its translation.
        assert translation.gettext("Skip to main content") in html
    return html


@pytest.mark.usefixtures("jobs_here")
@pytest.mark.parametrize("code", LANGUAGES)
def test_every_staff_page_answers_in_each_language(client, users, line, other_line, request, code):
    client.force_login(users["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    evidence = request.getfixturevalue("evidence")
    for name, symbols in STAFF_PAGES:
        url = reverse(name, args=resolve_args(symbols, users, line, other_line, evidence))
        response = client.get(url)
        if response["Content-Type"].startswith("text/html"):
            read_in(response, code)


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_public_page_answers_in_each_language(client, users, line, code):
    publication.site_set(user=users["coordinator"], is_on=True)
    update = record(line, users["focal-point"], note="Published meanwhile.")
    publication.note_publish(update=update, user=users["coordinator"])
    for name, args in PUBLIC_PAGES:
        with translation.override(code):
            url = reverse(name, args=args)
        read_in(client.get(url, HTTP_ACCEPT_LANGUAGE=code), code)


class LanguageOfText(HTMLParser):
    """Each piece of text with the language its nearest `lang` gives it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []  # (tag, its language)
        self.pieces: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            inherited = self.stack[-1][1] if self.stack else ""
            self.stack.append((tag, dict(attrs).get("lang") or inherited))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass  # an end tag HTML let be omitted

    def handle_data(self, data):
        if data.strip():
            self.pieces.append((self.stack[-1][1] if self.stack else "", data))


@pytest.mark.parametrize(
    ("name", "arg"),
    [("recommendation", "rec"), ("line-update", "line"), ("report-chapter", "chapter"),
     ("public:recommendation", "rec"), ("public:report-chapter", "chapter")],
)  # fmt: skip
def test_the_report_stays_in_english_and_says_so(client, users, line, name, arg):
    """The verbatim text of the report is English on every page, marked lang="en"."""
    publication.site_set(user=users["coordinator"], is_on=True)
    client.force_login(users["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    rec = line.recommendation
    args = {"rec": rec.code, "line": line.pk, "chapter": rec.paragraph.chapter.numeral}[arg]
    with translation.override("ar"):
        html = client.get(reverse(name, args=[args]), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    reader = LanguageOfText()
    reader.feed(html)
    first_words = rec.paragraph.text.split()[:4]
    found = [lang for lang, text in reader.pieces if text.split()[:4] == first_words]
    assert found, f"{name}: the paragraph's text is not on the page"
    assert set(found) == {"en"}, (name, found)
