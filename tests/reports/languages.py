"""Helpers of the tests of exports in the six languages: the expected translation of a
label (which must differ from the English, so no test passes on an empty catalogue) and
what poppler reads back from a PDF."""

import subprocess

from django.utils import translation
from django.utils.translation import gettext


def translated(language: str, label: str) -> str:
    """`label` in `language`, from the compiled catalogues; fails if it is untranslated."""
    with translation.override(language):
        text = gettext(label)
    assert text != label, (
        f"{label!r} has no {language} translation in the compiled catalogues, so this test "
        f"would prove nothing: translate it in locale/.../django.po and run "
        f"`manage.py compilemessages --ignore=.venv`"
    )
    return text


def pdf_text(path) -> str:
    return subprocess.run(  # noqa: S603
        ["pdftotext", str(path), "-"],  # noqa: S607
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def pdf_fonts(path) -> str:
    return subprocess.run(  # noqa: S603
        ["pdffonts", str(path)],  # noqa: S607
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
