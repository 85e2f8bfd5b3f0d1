"""The catalogue's names and titles in the six UN languages: loaded from locale/content
with the report, English where a translation is empty, coordinators' edits kept across
reloads, bad files refused whole; the list sorted and searched in the reader's language."""

import shutil

import pytest
import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import translation

from hearings.data_files import CatalogueError
from hearings.loading import load_report
from hearings.models import Actor, Recommendation, Report, Theme
from tracker import paging, selectors
from tracker.accounts.roles import ensure_role_groups
from tracker.filters import RecommendationFilter
from tracker.models import Profile
from tracker.search import recommendations_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def translations_dir(tmp_path):
    """A private copy of locale/content/ that a test may edit before loading it."""
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_TRANSLATIONS_DIR, target)
    return target


def edit(folder, name, change):
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_translations_are_loaded_with_the_report(loaded_report):
    france = Actor.objects.get(key="fra")
    assert (france.name, france.name_fr, france.name_ar, france.name_zh_hans) == (
        "France", "France", "فرنسا", "法国",
    )  # fmt: skip
    assert france.short_name_ru == "Франция"  # the menu form is the name, as in English
    bolivia = Actor.objects.get(key="bol")
    assert bolivia.short_name_fr == "Bolivie"  # from member-states-short.yaml
    assert Theme.objects.get(key="labour").title_ru == "Труд и мобильность мигрантов"
    assert Actor.objects.get(key="governments").name_es == "Gobiernos (Estados Miembros)"
    assert Report.objects.get().mandate_fr.startswith("Résolution 67/219")
    # Every recommendation's title, from recommendations.yaml; its text stays English.
    rec = Recommendation.objects.get(code="R7.1")
    assert rec.title_fr.startswith("Transformer le dialogue")
    assert all(getattr(rec, f"title_{code}") for code in ("ar", "zh_hans", "ru", "es"))
    assert not Recommendation.objects.filter(title_fr__isnull=True).exists()
    with translation.override("ru"):
        assert str(Theme.objects.get(key="labour")) == "Труд и мобильность мигрантов"
    with translation.override("en"):
        assert str(Theme.objects.get(key="labour")) == Theme.objects.get(key="labour").title


def test_an_empty_translation_falls_back_to_english(loaded_report):
    france = Actor.objects.get(key="fra")
    france.name_es = None
    with translation.override("es"):
        assert france.local_name == "France" == str(france)
    rec = Recommendation.objects.current().first()
    rec.title_fr = None  # never translated, or cleared by a coordinator
    with translation.override("fr"):
        assert rec.local_title == rec.title


def test_a_reload_keeps_what_a_coordinator_edited(empty_database, data_dir, translations_dir):
    load_report(data_dir, translations_dir=translations_dir)
    theme = Theme.objects.get(key="labour")
    theme.title_fr = "Travail des migrants (corrigé)"
    theme.save()
    assert load_report(data_dir, translations_dir=translations_dir).changed is False

    def change(data):
        data["themes"]["labour"]["fr"] = "Nouveau titre du fichier"
        data["themes"]["rights"]["fr"] = "Droits des migrants (fichier)"

    edit(translations_dir, "reference.yaml", change)
    result = load_report(data_dir, translations_dir=translations_dir)
    assert Theme.objects.get(key="labour").title_fr == "Travail des migrants (corrigé)"
    assert Theme.objects.get(key="rights").title_fr == "Droits des migrants (fichier)"
    assert [c.field for c in result.conflicts] == ["title_fr"]
    assert Theme.objects.get(key="labour").title == theme.title  # English untouched


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("member-states.yaml", lambda d: d.update(xyz={"fr": "Nulle part"}), "entry 'xyz'"),
        ("member-states.yaml", lambda d: d["fra"].pop("ru"), "language 'ru' missing"),
        ("actors.yaml", lambda d: d["governments"]["name"].update(de="X"), "unknown language"),
        ("reference.yaml", lambda d: d["themes"]["labour"].update(fr=""), "empty"),
        ("recommendations.yaml", lambda d: d.update({"R999.1": {"title": {}}}), "unknown"),
        ("recommendations.yaml", lambda d: d["R7.1"]["title"].pop("zh-hans"), "'zh-hans' missing"),
    ],
)
def test_a_bad_translation_file_writes_nothing(
    empty_database, data_dir, translations_dir, name, change, message
):
    edit(translations_dir, name, change)
    with pytest.raises(CatalogueError, match=message):
        load_report(data_dir, translations_dir=translations_dir)
    assert not Report.objects.exists()
    assert not Actor.objects.exists()


def test_a_yaml_syntax_error_names_the_file(empty_database, data_dir, translations_dir):
    (translations_dir / "actors.yaml").write_text("governments:\n  name: [unclosed\n")
    with pytest.raises(CatalogueError, match=r"actors\.yaml"):
        load_report(data_dir, translations_dir=translations_dir)
    assert not Report.objects.exists()


def french_titles():
    """Three recommendations whose French titles sort in an order of their own."""
    recs = list(Recommendation.objects.main().order_by("position")[:3])
    for rec, title in zip(recs, ["Zèbre", "Abeille", "Mouette"], strict=True):
        rec.title_fr = title
        rec.save(update_fields=["title_fr"])
    return recs


def test_the_list_sorted_by_title_follows_the_french_titles(loaded_report):
    french_titles()
    base = selectors.recommendations_for_list()
    with translation.override("fr"):
        listed = RecommendationFilter({"sort": "title"}, queryset=base)
        titles = [rec.local_title for rec in listed.qs]
        assert titles.index("Abeille") < titles.index("Mouette") < titles.index("Zèbre")
        # Keyset pages continue on the same expression, from a cursor made in French.
        page = paging.list_page(listed.qs, {}, query="sort=title", rows_of=listed.rows_of(base))
        cursor = paging.encode_cursor(paging.ordering_of(listed.qs), page.object_list[-1])
        later = paging.list_page(listed.qs, {"after": cursor}, query="sort=title")
        assert [r.local_title for r in later.object_list] == titles[25:50]
    with translation.override("en"):
        english = RecommendationFilter({"sort": "title"}, queryset=base).qs
        with pytest.raises(paging.BadCursor):
            paging.list_page(english, {"after": cursor}, query="sort=title")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no ICU collations: it sorts titles by their bytes (README)",
)
@pytest.mark.parametrize(
    ("language", "titles"),
    [
        ("fr", ["Abeille", "Élan", "étude", "Zèbre"]),  # accents and case aside
        ("es", ["Llama", "Mono", "Ñandú", "Oso"]),  # ñ after n
        ("ru", ["Ёлка", "Жук", "Яблоко"]),  # the letter yo sorts with ye: first
    ],
)
def test_titles_sort_in_the_readers_alphabetical_order(loaded_report, language, titles):
    column = f"title_{language}"
    recs = list(Recommendation.objects.main().order_by("position")[: len(titles)])
    for rec, title in zip(recs, reversed(titles), strict=True):
        setattr(rec, column, title)
        rec.save(update_fields=[column])
    with translation.override(language):
        listed = RecommendationFilter(
            {"sort": "title"}, queryset=selectors.recommendations_for_list()
        )
        shown = [rec.local_title for rec in listed.qs if rec.pk in {r.pk for r in recs}]
    assert shown == titles


def test_search_finds_a_recommendation_by_its_french_title(loaded_report):
    rec = Recommendation.objects.main().first()
    rec.title_fr = "Protéger les colibris domestiques"
    rec.save(update_fields=["title_fr"])
    with translation.override("fr"):
        found = recommendations_search(Recommendation.objects.all(), "colibris")
        assert list(found.values_list("code", flat=True)) == [rec.code]
    with translation.override("en"):
        assert not recommendations_search(Recommendation.objects.all(), "colibris").exists()


@pytest.fixture
def coordinator(loaded_report):
    user = get_user_model().objects.create_user("tr-coord", password="pw", is_staff=True)
    Profile.objects.create(user=user, role="coordinator")
    user.groups.set([ensure_role_groups()["coordinator"]])
    return user


def test_verbatim_text_is_marked_english(client, coordinator):
    client.force_login(coordinator)
    rec = Recommendation.objects.main().first()
    html = client.get(reverse("recommendation", args=[rec.code])).content.decode()
    # English, left to right in every language (the footer's words are the page's own).
    assert '<blockquote class="verbatim"><p lang="en" dir="ltr">' in html
    assert f'<p lang="en" dir="ltr">{rec.paragraph.number}. ' in html


def test_the_admin_shows_the_translations_to_a_coordinator(client, coordinator):
    client.force_login(coordinator)
    theme = Theme.objects.get(key="labour")
    html = client.get(reverse("admin:hearings_theme_change", args=[theme.pk])).content.decode()
    for column in ("title_ar", "title_zh_hans", "title_fr", "title_ru", "title_es"):
        assert f'name="{column}"' in html
    assert "Труд и мобильность мигрантов" in html
    rec = Recommendation.objects.main().first()
    html = client.get(reverse("admin:hearings_recommendation_change", args=[rec.pk])).content
    assert b'name="title_fr"' in html
