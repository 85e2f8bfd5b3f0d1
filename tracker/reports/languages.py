"""The language an export is written in: one of settings.LANGUAGES (the six UN languages),
the request's by default or the one chosen on the export page (`--language` for
export_progress). Every format renders under translation.override(language); the follow-up
sheet's column headers stay in English whatever the language, as the import reads them."""

import unicodedata
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import translation

# Word's language tags (w:lang): Latin text in w:val, Chinese in w:eastAsia, Arabic in w:bidi.
WORD_TAGS = {"ar": "ar-SA", "zh-hans": "zh-CN", "en": "en-GB", "fr": "fr-FR", "ru": "ru-RU",
             "es": "es-ES"}  # fmt: skip
# The fonts of the reports: Noto (fonts-noto-core, fonts-noto-cjk) for Arabic and Chinese.
ARABIC_FONT, CHINESE_FONT = "Noto Naskh Arabic", "Noto Sans CJK SC"


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def is_rtl(language: str) -> bool:
    """Written right to left (Arabic), as Django's own table of languages says."""
    return translation.get_language_info(language)["bidi"]


def direction(language: str) -> str:
    return "rtl" if is_rtl(language) else "ltr"


def in_language(language: str, items: Iterable) -> Iterator:
    """`items`, each produced under translation.override(language): for streamed responses,
    whose generators run after the view has returned."""
    iterator = iter(items)
    while True:
        with translation.override(language):
            item = next(iterator, StopIteration)
        if item is StopIteration:
            return
        yield item


def text_direction(text) -> str | None:
    """The direction of a text by its first strong character (as HTML's dir="auto"), or
    None if it has none (numbers, codes, punctuation)."""
    for character in str(text):
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None
