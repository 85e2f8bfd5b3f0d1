"""The catalogue's names and titles in the six official languages of the United Nations.

English stays in the field itself (`title`, `name`: what the catalogue files and the loader
write, what exports, the API and raw SQL read). Each other language has a column of its
own beside it (`title_fr`, `title_zh_hans`...), NULL where nobody translated it (so that a
column added on SQLite needs no table rebuild, and a sort key is a plain COALESCE). Pages
show `local_title`: the active language's value, else the English. The translations are
loaded from locale/content/ (hearings/translation_files.py) and corrected in the admin.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Func
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import get_language, get_supported_language_variant

DEFAULT = "en"
LANGUAGE_NAMES = dict(settings.LANGUAGES)
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != DEFAULT]
# The translated fields of each model, by model label: {"hearings.Theme": ("title",)}.
TRANSLATED: dict[str, tuple[str, ...]] = {}


def column(name: str, language: str) -> str:
    """The column holding `name` in `language`: title_fr, title_zh_hans; `name` in English."""
    if language == DEFAULT:
        return name
    return f"{name}_{language.replace('-', '_').lower()}"


def columns(*names: str) -> list[str]:
    """Every column of these fields, English included (for .only())."""
    return [column(name, language) for name in names for language, _ in settings.LANGUAGES]


def other_columns(*names: str) -> list[str]:
    """The columns of these fields in the five other languages (the admin's fields)."""
    return [column(name, language) for name in names for language in OTHER_LANGUAGES]


def active_language() -> str:
    """The active language among the six (en-us is en), English when none is."""
    try:
        return get_supported_language_variant(get_language() or DEFAULT)
    except LookupError:
        return DEFAULT


def localized(obj, name: str, language: str | None = None) -> str:
    """The field in `language` (by default the active one), else in English."""
    language = language or active_language()
    if language != DEFAULT:
        value = getattr(obj, column(name, language), None)
        if value:
            return value
    return getattr(obj, name)


# ICU's collation for each other language on PostgreSQL: its alphabetical order (accents,
# case, Arabic letters, Chinese by pinyin) rather than the order of the bytes.
ICU_COLLATIONS = {
    "ar": "ar-x-icu",
    "zh-hans": "zh-Hans-x-icu",
    "fr": "fr-x-icu",
    "ru": "ru-x-icu",
    "es": "es-x-icu",
}


class InLanguageOrder(Func):
    """An expression sorted in a language's alphabetical order where the database knows
    it: `COLLATE "fr-x-icu"` on PostgreSQL; SQLite, which has no ICU, keeps the order of
    the bytes (README, "The catalogue in the six UN languages")."""

    output_field = models.CharField()

    def __init__(self, expression, *, language: str):
        super().__init__(expression, language=language)
        self.language = language

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        collation = connection.ops.quote_name(ICU_COLLATIONS[self.language])
        return f"({sql}) COLLATE {collation}", params


def sort_key(name: str, language: str | None = None):
    """The field in the language, else English, in that language's order, as a database
    expression (the one the expression indexes of `sort_indexes` are built on)."""
    language = language or active_language()
    if language == DEFAULT:
        return F(name)
    return InLanguageOrder(Coalesce(F(column(name, language)), F(name)), language=language)


def sort_indexes(name: str, prefix: str) -> list[models.Index]:
    """One index per other language on (the field in that language else English, id): the
    list sorted by it, and its keyset pages, read in index order at any size."""
    return [
        models.Index(
            sort_key(name, language), F("id"), name=f"{prefix}_{language.replace('-', '_')}"
        )
        for language in OTHER_LANGUAGES
    ]


def translatable(*names: str):
    """Class decorator: beside each of these CharFields, a nullable column per other
    language (same length, blank allowed), and a `local_<name>` property."""

    def decorate(cls):
        for name in names:
            original = cls._meta.get_field(name)
            for language in OTHER_LANGUAGES:
                field = models.CharField(
                    format_lazy("{} ({})", original.verbose_name, LANGUAGE_NAMES[language]),
                    max_length=original.max_length,
                    null=True,
                    blank=True,
                )
                field.contribute_to_class(cls, column(name, language))
            setattr(cls, f"local_{name}", property(lambda self, name=name: localized(self, name)))
        TRANSLATED[cls._meta.label] = names
        return cls

    return decorate
