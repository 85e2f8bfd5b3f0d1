"""A pseudo-language: every message of the catalogue marked ⟦like this⟧, so that a page
rendered in it shows, by what is left unmarked, any English the catalogues do not reach.

It takes French's place (Django's own French then still translates its own strings, such
as month names and form errors, which `django_own_strings` lists)."""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django
import polib

from .catalogues import catalogue

LANGUAGE = "fr"
OPEN, CLOSE = "⟦", "⟧"
INNERMOST = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# What a person reads in attributes.
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-description")
# Code is code (field names, file names, commands), in every language.
SKIPPED = {"script", "style", "template", "svg", "code", "kbd", "samp"}
# Elements with no end tag: they open no subtree to skip.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def mark(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


def write_catalogue(locale_dir: Path) -> None:
    """The pseudo-language's compiled catalogue, as LOCALE_PATHS' French."""
    source = catalogue(LANGUAGE)
    pseudo = polib.POFile()
    pseudo.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": source.metadata["Plural-Forms"],
        "Language": LANGUAGE,
    }
    for entry in source:
        if entry.msgid_plural:
            forms = {0: mark(entry.msgid), 1: mark(entry.msgid_plural)}
            pseudo.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid,
                                        msgid_plural=entry.msgid_plural,
                                        msgstr_plural=forms))  # fmt: skip
        else:
            pseudo.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid,
                                        msgstr=mark(entry.msgid)))  # fmt: skip
    target = locale_dir / LANGUAGE / "LC_MESSAGES"
    target.mkdir(parents=True)
    pseudo.save_as_mofile(str(target / "django.mo"))


@cache
def django_own_strings() -> tuple[str, ...]:
    """Django's and its contrib apps' own French, longest first (they stay translated)."""
    root = Path(django.__file__).parent
    strings = set()
    for mo in root.glob(f"**/locale/{LANGUAGE}/LC_MESSAGES/*.mo"):
        for entry in polib.mofile(str(mo)):
            strings.add(entry.msgstr)
            strings.update(entry.msgstr_plural.values())
    return tuple(s for s in strings if len(s) > 1)


class ReadText(HTMLParser):
    """The text a person reads: text nodes and read attributes, leaving out scripts, styles
    and what is marked as English on purpose (lang="en": the verbatim report) or as not to
    be translated (translate="no": names and codes)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        # The element being left out, and how deep in elements of its name (HTML lets
        # other end tags be omitted, so only its own name is counted).
        self.skipped_tag, self.depth = "", 0
        self.text: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.skipped_tag:
            self.depth += tag == self.skipped_tag
            return
        attributes = dict(attrs)
        english = (attributes.get("lang") or "").lower().startswith("en")
        if tag in SKIPPED or english or attributes.get("translate") == "no":
            if tag not in VOID:
                self.skipped_tag, self.depth = tag, 1
            return
        self.attributes += [attributes[a] for a in READ_ATTRIBUTES if attributes.get(a)]
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.attributes.append(attributes.get("value") or "")
        self.text.append(" ")

    def handle_endtag(self, tag):
        if self.skipped_tag:
            self.depth -= tag == self.skipped_tag
            if not self.depth:
                self.skipped_tag = ""
        else:
            self.text.append(" ")

    def handle_data(self, data):
        if not self.skipped_tag:
            self.text.append(data)


URL = re.compile(r"https?://\S+|/[\w./?=&%-]*/[\w./?=&%-]*")


def as_words(strings) -> re.Pattern:
    """A pattern matching any of `strings` as whole words, the longest first."""
    ordered = sorted({s for s in strings if s.strip()}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


@cache
def django_own_pattern() -> re.Pattern:
    return as_words(django_own_strings())


@cache
def english_vocabulary() -> frozenset[str]:
    """The words of the English the interface is written in (our messages and Django's):
    a word left on the page is English only if it is one of them, so that the French
    Django puts around its own strings is not taken for English."""
    root = Path(django.__file__).parent
    words = set()
    for entry in catalogue(LANGUAGE):
        words.update(
            w.lower() for w in ENGLISH_WORD.findall(entry.msgid + " " + entry.msgid_plural)
        )
    for mo in root.glob(f"**/locale/{LANGUAGE}/LC_MESSAGES/django.mo"):
        for entry in polib.mofile(str(mo)):
            words.update(w.lower() for w in ENGLISH_WORD.findall(entry.msgid))
    return frozenset(words)


def unmarked(text: str, allowed: re.Pattern) -> list[str]:
    """The English words of `text` (each with what surrounds it) outside every marked
    message, address and allowed string."""
    while INNERMOST.search(text):
        text = INNERMOST.sub(" ", text)
    text = django_own_pattern().sub(" ", allowed.sub(" ", URL.sub(" ", text)))
    text = re.sub(r"\s+", " ", text)
    english = english_vocabulary()
    return [
        (m[0], text[max(0, m.start() - 30) : m.end() + 30])
        for m in ENGLISH_WORD.finditer(text)
        if m[0].lower() in english
    ]


def english_left(html: str, allowed: re.Pattern, words_allowed: frozenset[str]) -> list[str]:
    """Each English word left on the page, with its context."""
    reader = ReadText()
    reader.feed(html)
    found = []
    for chunk in ["".join(reader.text), *reader.attributes]:
        found += [
            context for word, context in unmarked(chunk, allowed) if word not in words_allowed
        ]
    return found
