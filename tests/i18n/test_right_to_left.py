"""Mixed directions on Arabic pages, as a reader of Arabic meets them: the report's English
kept left to right, what people typed in its own direction, arrows pointing the way the
text goes, a code and a name isolated from each other, lists joined with the Arabic comma;
and the audit log's kinds of object named in every language, other packages' too."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from tests.test_pages import record
from tracker.audit.filters import audited_models, kind_choices
from tracker.publication import services as publication

from .catalogues import same_as_english

pytestmark = pytest.mark.django_db
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


class EnglishElements(HTMLParser):
    """The attributes of every element marked lang="en"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # Not the language switcher's "English", in a language of its own like the others.
        if attrs.get("lang") == "en" and tag not in ("a", "option"):
            self.found.append({"tag": tag, **attrs})


def arabic_page(client, user, name, *args) -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    with translation.override("ar"):
        response = client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200, name
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "arg"),
    [("recommendation", "rec"), ("line-update", "line"), ("report-chapter", "chapter"),
     ("public:recommendation", "rec"), ("public:report-chapter", "chapter")],
)  # fmt: skip
def test_the_reports_english_runs_left_to_right_in_arabic(client, users, line, name, arg):
    """Its full stop at its end, not at the start of the line (".Governments to ensure")."""
    publication.site_set(user=users["coordinator"], is_on=True)
    rec = line.recommendation
    value = {"rec": rec.code, "line": line.pk, "chapter": rec.paragraph.chapter.numeral}[arg]
    reader = EnglishElements()
    reader.feed(arabic_page(client, users["coordinator"], name, value))
    assert reader.found, f"{name}: nothing is marked English"
    assert [e for e in reader.found if e.get("dir") != "ltr"] == [], name


def test_what_people_typed_takes_its_own_direction(client, users, line):
    publication.site_set(user=users["coordinator"], is_on=True)
    update = record(line, users["focal-point"], note="Shelters opened on the border.")
    publication.note_publish(update=update, user=users["coordinator"])
    for name in ("recommendation", "public:recommendation"):
        html = arabic_page(client, users["coordinator"], name, line.recommendation.code)
        assert '<p class="timeline__note" dir="auto">Shelters opened on the border.' in html
        link = 'href="https://example.org/evidence/1" rel="noopener noreferrer nofollow" dir="auto"'
        assert link in html, name
    html = arabic_page(client, users["coordinator"], "accounts")
    assert "<bdi>focal-civil-society</bdi>" in html  # names in the accounts table


def arrow(language: str, way: str = "") -> str:
    source = "{% load tracker_tags %}{% arrow " + (f'"{way}"' if way else "") + " %}"
    with translation.override(language):
        return Template(source).render(Context())


def test_arrows_point_the_way_the_text_goes():
    assert (arrow("en"), arrow("en", "back")) == ("→", "←")
    assert (arrow("zh-hans"), arrow("fr", "back")) == ("→", "←")
    assert (arrow("ar"), arrow("ar", "back")) == ("←", "→")


def test_the_audit_log_and_the_chapters_arrows_in_arabic(client, users, line):
    line.target_date = datetime.date(2015, 6, 30)
    line.save()
    line.target_date = datetime.date(2016, 6, 30)
    line.save()
    html = arabic_page(client, users["coordinator"], "audit")
    assert '</bdi> ← <bdi translate="no">' in html  # before ← after, read from the right
    assert "→" not in html
    chapter = line.recommendation.paragraph.chapter.numeral
    html = arabic_page(client, users["coordinator"], "report-chapter", chapter)
    assert re.search(r'rel="next">[^<]* ←</a>', html)  # the next chapter, on the left
    assert re.search(r'rel="prev">→ [^<]*</a>', html)


def test_a_code_and_a_name_are_isolated_from_each_other(client, users, line):
    publication.withhold(user=users["coordinator"], reason="Under review.", line=line)
    with translation.override("ar"):
        actor = line.actor.local_name
    html = arabic_page(client, users["coordinator"], "public-site")
    code = f'<span class="code">{line.recommendation.code}</span>'
    assert f"{code} · <bdi>{actor}</bdi>" in html
    record(line, users["focal-point"])
    html = arabic_page(client, users["coordinator"], "dashboard")
    assert f"<bdi>{line.recommendation.code}</bdi> · <bdi>{actor}</bdi>" in html


def addressee_rows(html: str) -> list[str]:
    return re.findall(r'<p class="rec-row__actors">(.*?)</p>', html, re.S)


def test_lists_are_joined_with_the_languages_separator(client, users):
    rows = addressee_rows(arabic_page(client, users["coordinator"], "recommendations"))
    assert any("، " in row for row in rows)
    assert not any(", " in row for row in rows)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    rows = addressee_rows(client.get(reverse("recommendations")).content.decode())
    assert any("、" in row for row in rows)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = addressee_rows(client.get(reverse("recommendations")).content.decode())
    assert any(", " in row for row in rows)


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_the_audit_logs_kinds_of_object_are_translated(code):
    """Other packages' models too (django-axes' "access attempt" has no Chinese or Spanish)."""
    with translation.override("en"):
        english = {key: str(label) for key, label in kind_choices()}
    with translation.override(code):
        translated = {key: str(label) for key, label in kind_choices()}
    allowed = {term.casefold() for term in same_as_english()}
    same = [
        english[key]
        for key in english
        if translated[key] == english[key] and english[key].casefold() not in allowed
    ]
    assert same == [], f"{code}: {same}"
    models = {f"{m._meta.app_label}.{m._meta.model_name}" for m in audited_models()}
    assert "axes.accessattempt" in models
    with translation.override(code):
        label = capfirst(translation.gettext("access attempt"))
    assert translated["axes.accessattempt"] == label
