"""The interface's translation catalogues, read for the tests (locale/<lang>/LC_MESSAGES)."""

import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import polib
from django.conf import settings

BASE = Path(settings.BASE_DIR)
LOCALE = BASE / "locale"
# Every language but English, by the directory name gettext uses (zh-hans -> zh_Hans).
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}")


def directory(code: str) -> str:
    language, _, script = code.partition("-")
    return f"{language}_{script.title()}" if script else language


def po_path(code: str) -> Path:
    return LOCALE / directory(code) / "LC_MESSAGES" / "django.po"


@cache
def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(po_path(code)))


@cache
def same_as_english() -> frozenset[str]:
    """Strings a translation may leave as they are (formats, codes, words spelled alike)."""
    lines = (LOCALE / "content" / "same-as-english.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@cache
def extracted_msgids() -> frozenset[str]:
    """The messages marked in the code and templates today, as `makemessages` finds them,
    extracted from a copy of the sources (the checkout's catalogues stay untouched)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("hearings", "tracker", "templates", "static"):
            shutil.copytree(BASE / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(BASE / "manage.py", root / "manage.py")
        (root / "locale").mkdir()
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "--locale", "fr", "--no-location"],
            cwd=root, check=True, capture_output=True,
        )  # fmt: skip
        extracted = polib.pofile(str(root / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
        return frozenset(entry.msgid for entry in extracted)
