"""The catalogues of the five languages besides English: complete, not fuzzy, their
placeholders and plural forms intact, translated rather than copied, up to date with the
code, and compiled by `make messages` into what Django reads."""

import re
import subprocess

import pytest
from django.utils import translation

from .catalogues import (
    TRANSLATED,
    catalogue,
    extracted_msgids,
    placeholders,
    po_path,
    same_as_english,
)

LETTERS = re.compile(r"[^\W\d_]{2,}")


def entries(code):
    return [entry for entry in catalogue(code) if not entry.obsolete]


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    po = catalogue(code)
    untranslated = [e.msgid for e in entries(code) if not e.translated()]
    fuzzy = [e.msgid for e in entries(code) if "fuzzy" in e.flags]
    assert not untranslated, f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert not po.metadata_is_fuzzy, f"{code}: the header is fuzzy"
    assert po.metadata.get("Language"), f"{code}: the header names no language"
    assert not [e.msgid for e in po.obsolete_entries()], f"{code}: obsolete entries left in"


@pytest.mark.parametrize("code", TRANSLATED)
def test_plural_messages_have_every_form_of_the_language(code):
    forms = int(re.search(r"nplurals=(\d+)", catalogue(code).metadata["Plural-Forms"])[1])
    for entry in entries(code):
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(forms)), (code, entry.msgid)
            assert all(entry.msgstr_plural.values()), (code, entry.msgid)


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_survive_translation(code):
    wrong = []
    for entry in entries(code):
        if entry.msgid_plural:
            expected = placeholders(entry.msgid_plural)
            got = [placeholders(form) for form in entry.msgstr_plural.values()]
            # A language's form for one may spell the number out ("un", "一"): the other
            # forms carry every placeholder.
            if not any(forms == expected for forms in got):
                wrong.append(entry.msgid)
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append(entry.msgid)
    assert not wrong, f"{code}: placeholders differ in {wrong[:10]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_differ_from_the_english_except_listed_terms(code):
    allowed = same_as_english()
    copied = [
        e.msgid
        for e in entries(code)
        if not e.msgid_plural
        and e.msgstr == e.msgid
        and e.msgid not in allowed
        and LETTERS.search(re.sub(r"%\([^)]+\)s|\{[^}]*\}|<[^>]+>", "", e.msgid))
    ]
    assert not copied, f"{code}: {len(copied)} left in English, e.g. {copied[:10]}"


def test_the_catalogues_hold_every_message_the_code_marks():
    marked = extracted_msgids() - {""}
    for code in TRANSLATED:
        known = {entry.msgid for entry in entries(code)}
        missing = sorted(marked - known)
        assert not missing, (
            f"{code}: {len(missing)} marked strings not in {po_path(code)} "
            f"(run makemessages, then translate them), e.g. {missing[:5]}"
        )
        stale = sorted(known - marked)
        assert not stale, f"{code}: {len(stale)} entries no code uses, e.g. {stale[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_msgfmt_accepts_the_catalogue(code):
    """What `make messages` runs: formats and plural forms checked against the English."""
    msgfmt = ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_path(code))]
    # GNU gettext's msgfmt on the PATH, as `make messages` runs it, on the checkout's file.
    result = subprocess.run(msgfmt, capture_output=True, text=True)  # noqa: S603
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("code", TRANSLATED)
def test_django_reads_the_compiled_catalogue(code):
    """The .mo that `make messages` compiled is the one the app serves."""
    entry = next(e for e in entries(code) if not e.msgid_plural and e.msgstr != e.msgid)
    with translation.override(code):
        assert translation.gettext(entry.msgid) == entry.msgstr


# The two roles that report and coordinate have different words in every language
# (locale/glossary.csv): the stem of each, as it appears in every inflected form.
ROLE_STEMS = {
    "ar": ("تنسيق", "منسق"),
    "zh-hans": ("协调人", "协调员"),
    "fr": ("point", "coordonnat"),
    "ru": ("контактн", "координатор"),
    "es": ("punto", "coordinador"),
}


@pytest.mark.parametrize("code", TRANSLATED)
def test_focal_point_and_coordinator_keep_their_glossary_words(code):
    focal_point, coordinator = ROLE_STEMS[code]
    wrong = []
    for entry in entries(code):
        english = f"{entry.msgid} {entry.msgid_plural}"
        translated = f"{entry.msgstr} {' '.join(entry.msgstr_plural.values())}".lower()
        if re.search(r"\bfocal points?\b", english, re.I) and focal_point not in translated:
            wrong.append(entry.msgid)
        if re.search(r"\bcoordinators?\b", english, re.I) and coordinator not in translated:
            wrong.append(entry.msgid)
    assert not wrong, f"{code}: the glossary's word is missing in {wrong[:5]}"
