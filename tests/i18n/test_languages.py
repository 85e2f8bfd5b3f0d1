"""The six UN languages: the staff switcher and the profile's language, the public site's
addresses in each language (hreflang, sitemap alternates, the redirect of addresses
without one), e-mails in their recipient's language, and dates in each language's way."""

import datetime
import re

import pytest
from defusedxml import ElementTree as ET
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import formats, translation

from tracker.accounts.services import account_invite
from tracker.models import Profile
from tracker.notifications import sending
from tracker.publication import services as publication

pytestmark = pytest.mark.django_db

CODES = [code for code, _name in settings.LANGUAGES]
BASE = "http://tracker.example.org"


@pytest.fixture(autouse=True)
def english_first():
    """reverse() follows the active language: each test starts in the site's."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def staff(loaded_report):
    user = get_user_model().objects.create_user(
        "lang-coordinator", email="coord@example.org", password="pw"
    )
    Profile.objects.create(user=user, role="coordinator")
    return user


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def site_on(staff, settings):
    settings.PUBLIC_BASE_URL = BASE
    publication.site_set(user=staff, is_on=True)


def language_of(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


# --- staff pages ---------------------------------------------------------------------------


def test_every_staff_page_has_the_switcher_each_language_named_in_itself(staff_client):
    for client, url in ((staff_client, reverse("dashboard")), (Client(), reverse("login"))):
        body = client.get(url).content.decode()
        assert f'action="{reverse("language")}"' in body, url
        assert f'name="next" value="{url}"' in body, url
        assert '<label for="language-switcher" class="visually-hidden">Language</label>' in body
        for code, name in [("ar", "العربيّة"), ("zh-hans", "简体中文"), ("fr", "français"),
                           ("ru", "Русский"), ("es", "español"), ("en", "English")]:  # fmt: skip
            assert f'<option value="{code}" lang="{code}"' in body, code
            assert f">{name}</option>" in body, name
        assert re.search(r'<option value="en" lang="en" selected>', body)


def test_choosing_a_language_saves_it_to_the_profile_and_every_page_follows(staff, staff_client):
    back_to = reverse("recommendations") + "?theme=rights"
    response = staff_client.post(reverse("language"), {"language": "fr", "next": back_to})
    assert response.status_code == 302
    assert response["Location"] == back_to
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert Profile.objects.get(user=staff).language == "fr"
    # On another browser (no cookie) that asks for Spanish: the profile decides.
    elsewhere = Client(headers={"Accept-Language": "es"})
    elsewhere.force_login(staff)
    page = elsewhere.get(reverse("dashboard"))
    assert page["Content-Language"] == "fr"
    assert language_of(page) == "fr"
    assert re.search(r'<option value="fr" lang="fr" selected>', page.content.decode())
    # A language cookie of another language does not win over it either.
    elsewhere.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert elsewhere.get(reverse("dashboard"))["Content-Language"] == "fr"


def test_a_language_that_is_not_one_of_the_six_is_refused(staff, staff_client):
    for wrong in ("de", "", "fr<script>", "xx-yy"):
        response = staff_client.post(reverse("language"), {"language": wrong, "next": "/"})
        assert response.status_code == 400, wrong
        assert "No such language" in response.content.decode()
        assert not response.cookies
    assert Profile.objects.get(user=staff).language == ""
    assert staff_client.get(reverse("language")).status_code == 405


def test_the_switcher_never_sends_anyone_to_another_site(staff_client):
    response = staff_client.post(
        reverse("language"), {"language": "ru", "next": "https://evil.example.net/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_switching_language_on_a_later_page_of_the_list_keeps_its_filters(staff_client):
    """A later page's cursor holds a place in the titles' order, which is the language's:
    the list in the new language starts at the top, filters and sort kept."""
    from tracker import paging, selectors
    from tracker.filters import RecommendationFilter

    listed = RecommendationFilter({"sort": "title"}, queryset=selectors.recommendations_for_list())
    ordering = paging.ordering_of(listed.qs)
    cursor = paging.encode_cursor(ordering, listed.qs.order_by(*ordering)[24])
    later = f"{reverse('recommendations')}?theme=rights&sort=title&after={cursor}"
    assert staff_client.get(later).status_code == 200
    response = staff_client.post(reverse("language"), {"language": "fr", "next": later})
    assert response["Location"] == f"{reverse('recommendations')}?theme=rights&sort=title"
    assert staff_client.get(response["Location"]).status_code == 200


def test_the_preferences_page_chooses_the_language_or_the_browsers(staff, staff_client):
    page = staff_client.get(reverse("preferences")).content.decode()
    assert '<option value="" selected>From the browser</option>' in page
    assert '<option value="zh-hans">简体中文</option>' in page
    response = staff_client.post(reverse("preferences"), {"language": "ru", "time_zone": ""})
    assert response.status_code == 302
    assert Profile.objects.get(user=staff).language == "ru"
    assert staff_client.get(reverse("preferences"))["Content-Language"] == "ru"
    response = staff_client.post(reverse("preferences"), {"language": "", "time_zone": ""})
    assert Profile.objects.get(user=staff).language == ""
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    browser = staff_client.get(reverse("preferences"), headers={"Accept-Language": "es"})
    assert browser["Content-Language"] == "es"
    wrong = staff_client.post(reverse("preferences"), {"language": "de", "time_zone": ""})
    assert wrong.status_code == 200
    assert "Select a valid choice" in wrong.content.decode()


def test_the_login_page_follows_the_cookie_then_the_browser(loaded_report):
    assert (
        Client(headers={"Accept-Language": "ar"}).get(reverse("login"))["Content-Language"] == "ar"
    )
    client = Client(headers={"Accept-Language": "ar"})
    response = client.post(reverse("language"), {"language": "zh-hans", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login"))
    assert page["Content-Language"] == "zh-hans"
    assert language_of(page) == "zh-hans"


# --- the public site -----------------------------------------------------------------------


def test_the_address_decides_the_public_pages_language(site_on, staff, staff_client):
    Profile.objects.filter(user=staff).update(language="ru")
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    for code in CODES:
        with translation.override(code):
            url = reverse("public:recommendations")
        assert url == f"/{code}/public/recommendations/"
        for client in (Client(headers={"Accept-Language": "ar"}), staff_client):
            response = client.get(url)
            assert response.status_code == 200
            assert response["Content-Language"] == code
            assert language_of(response) == code
            assert "Set-Cookie" not in response.headers
            assert f'<meta property="og:locale" content="{code}">' in response.content.decode()
    # Each language is a page of its own in the shared cache and by its ETag.
    etags = {Client().get(f"/{code}/public/")["ETag"] for code in CODES}
    assert len(etags) == 6


@pytest.mark.parametrize(
    ("accept", "language"),
    [
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("zh-CN,zh;q=0.9", "zh-hans"),
        ("de-DE, ru;q=0.5", "ru"),
        ("de", "en"),
        ("", "en"),
    ],
)
def test_an_address_without_a_language_redirects_by_the_browsers(site_on, accept, language):
    client = Client(headers={"Accept-Language": accept} if accept else {})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"  # never read for the public site
    response = client.get("/public/recommendations/?theme=rights&sort=title")
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/public/recommendations/?theme=rights&sort=title"
    assert "Accept-Language" in response["Vary"]
    assert "Cookie" not in response["Vary"]
    assert "Set-Cookie" not in response.headers
    assert client.get("/public/")["Location"] == f"/{language}/public/"


def test_every_public_page_links_to_itself_in_each_language(site_on):
    body = Client().get("/fr/public/recommendations/R42.1/").content.decode()
    assert f'<link rel="canonical" href="{BASE}/fr/public/recommendations/R42.1/">' in body
    for code in CODES:
        there = f"{BASE}/{code}/public/recommendations/R42.1/"
        assert f'<link rel="alternate" hreflang="{code}" href="{there}">' in body
        assert re.search(
            rf'<a href="/{code}/public/recommendations/R42.1/" hreflang="{code}" lang="{code}"',
            body,
        )
    assert (
        f'<link rel="alternate" hreflang="x-default" href="{BASE}/public/recommendations/R42.1/">'
    ) in body
    assert 'hreflang="fr" lang="fr" aria-current="true">français</a>' in body
    # The list keeps its query in every language.
    listed = Client().get("/es/public/recommendations/?theme=rights").content.decode()
    assert f'hreflang="ar" href="{BASE}/ar/public/recommendations/?theme=rights"' in listed
    # Links between pages stay in the page's language.
    assert 'href="/es/public/actors/"' in listed
    assert 'href="/en/public/actors/"' not in listed


def test_the_staff_pages_link_to_the_public_pages_in_the_staff_language(
    site_on, staff, staff_client
):
    Profile.objects.filter(user=staff).update(language="fr")
    body = staff_client.get(reverse("dashboard")).content.decode()
    assert 'href="/fr/public/"' in body


def test_the_sitemap_lists_each_page_in_each_language_with_its_alternates(site_on):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
                 "x": "http://www.w3.org/1999/xhtml"}  # fmt: skip
    tree = ET.fromstring(Client().get("/sitemap-pages.xml").content)
    entries = tree.findall("s:url", namespace)
    assert len(entries) == 4 * 6
    for entry in entries:
        location = entry.find("s:loc", namespace).text
        alternates = {
            link.get("hreflang"): link.get("href") for link in entry.findall("x:link", namespace)
        }
        assert set(alternates) == {*CODES, "x-default"}
        assert location in alternates.values()
        path = location.removeprefix(BASE).split("/", 2)[2]
        assert alternates["x-default"] == f"{BASE}/{path}"
        assert all(alternates[code] == f"{BASE}/{code}/{path}" for code in CODES)
    recommendations = ET.fromstring(Client().get("/sitemap-recommendations.xml").content)
    locations = [loc.text for loc in recommendations.iter(f"{{{namespace['s']}}}loc")]
    assert f"{BASE}/zh-hans/public/recommendations/R42.1/" in locations
    assert len(locations) % 6 == 0


# --- e-mails -------------------------------------------------------------------------------


@pytest.fixture
def rendered_in():
    """The language active while each template was rendered, by template name."""
    seen = {}

    def record(sender, template, context, **kwargs):
        seen[template.name] = translation.get_language()

    template_rendered.connect(record)
    yield seen
    template_rendered.disconnect(record)


def test_an_invitation_is_written_in_the_recipients_language(staff, rendered_in, mailoutbox):
    account = get_user_model().objects.create_user("new-one", email="new@example.org")
    Profile.objects.create(user=account, role="viewer", language="fr")
    account_invite(account=account)
    assert rendered_in["registration/invitation_email.txt"] == "fr"
    assert rendered_in["registration/invitation_subject.txt"] == "fr"
    assert translation.get_language() == "en"  # and the sender's language is back
    Profile.objects.filter(user=account).update(language="")
    account.refresh_from_db()
    account_invite(account=account)
    assert rendered_in["registration/invitation_email.txt"] == settings.LANGUAGE_CODE
    assert len(mailoutbox) == 2


def test_a_password_reset_email_is_written_in_the_recipients_language(staff, rendered_in):
    Profile.objects.filter(user=staff).update(language="fr")
    response = Client(headers={"Accept-Language": "ru"}).post(
        reverse("password_reset"), {"email": staff.email}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert rendered_in["registration/password_reset_email.html"] == "fr"
    assert rendered_in["registration/password_reset_subject.txt"] == "fr"


def test_reminders_are_written_in_the_recipients_language(staff):
    Profile.objects.filter(user=staff).update(language="zh-hans")
    staff.refresh_from_db()
    with sending.recipients_locale(staff):
        assert translation.get_language() == "zh-hans"
        assert formats.date_format(datetime.date(2013, 7, 15), "DATE_FORMAT") == "2013年7月15日"
    assert translation.get_language() == "en"


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "written"),
    [
        ("en", "15 July 2013"),
        ("fr", "15 juillet 2013"),
        ("zh-hans", "2013年7月15日"),
        ("ru", "15 июля 2013 г."),  # noqa: RUF001 - Russian "year"
        ("es", "15 de julio de 2013"),
    ],
)
def test_dates_are_written_in_each_languages_way(code, written):
    with translation.override(code):
        assert formats.date_format(datetime.date(2013, 7, 15), "DATE_FORMAT") == written


def test_no_template_writes_a_date_pattern_of_its_own():
    """Machine formats (ISO dates, `c`, a time of day) only; every date a person reads is
    in a named format, which each language writes its way (hearings/formats/)."""
    from pathlib import Path

    allowed = {"Y-m-d", "c", "H:i T"}
    for path in Path(settings.BASE_DIR, "templates").rglob("*.*"):
        for pattern in re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text()):
            assert pattern.endswith("_FORMAT") or pattern in allowed, (path, pattern)
