"""Checking uploaded evidence files before anything is stored: how many, how big, what they
are by content (tracker.evidence.content), and free of viruses where a scanner is
configured (tracker.evidence.scanning). Each refusal names the file and says why.

Only a CheckedFile can be stored (tracker.evidence.services): a file reaches storage
through these checks or not at all.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hearings.text import unsafe_character

from . import content, scanning
from .models import MAX_NAME_LENGTH, Kind, Scan

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class CheckedFile:
    """An uploaded file that passed every check, with what was learnt about it."""

    upload: object  # Django's UploadedFile (or any seekable binary file with a name)
    name: str
    size: int
    kind: Kind
    sha256: str
    scan: Scan


def max_bytes() -> int:
    return settings.EVIDENCE_FILE_MAX_BYTES


def max_files() -> int:
    return settings.EVIDENCE_FILES_MAX


def _refused(name: str, reason: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” was not attached: %(reason)s") % {"name": name, "reason": reason},
        code="refused",
    )


def _name(upload) -> str:
    """The name the browser sent, without any folder, or a refusal naming the problem."""
    name = str(upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    found = unsafe_character(name)
    if found is not None:
        raise _refused(
            name.encode("ascii", "replace").decode(),
            _("its name contains a control character (%(character)s); rename it.")
            % {"character": found[1]},
        )
    if not name:
        raise _refused("?", _("it has no name."))
    if len(name) > MAX_NAME_LENGTH:
        raise _refused(
            name[:60] + "…",
            _("its name is longer than %(n)s characters; rename it.") % {"n": MAX_NAME_LENGTH},
        )
    return name


def _chunks(upload):
    upload.seek(0)
    while chunk := upload.read(CHUNK_BYTES):
        yield chunk
    upload.seek(0)


def check_upload(upload) -> CheckedFile:
    """One file: ValidationError naming it and the reason, or the CheckedFile."""
    name = _name(upload)
    if upload.size > max_bytes():
        raise _refused(
            name,
            _("it is %(size)s; a file may be at most %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes())},
        )
    try:
        kind = content.identify(upload, name)
    except content.ContentRefused as refused:
        raise _refused(name, str(refused)) from refused
    digest = hashlib.sha256()

    def hashed():
        for chunk in _chunks(upload):
            digest.update(chunk)
            yield chunk

    if not scanning.is_configured():
        for _chunk in hashed():
            pass
        return CheckedFile(upload, name, upload.size, kind, digest.hexdigest(), Scan.NOT_SCANNED)
    try:
        verdict = scanning.scan(hashed())
    except scanning.ScannerUnavailable as error:
        logger.error("virus scanner unavailable: %s", error)
        raise _refused(
            name,
            _("the virus scanner is not answering, so no file can be accepted now. Try again "
              "in a few minutes; if it goes on, tell a coordinator."),
        ) from error  # fmt: skip
    if verdict.infected:
        logger.warning("infected upload refused: %s", verdict.signature)
        raise _refused(
            name,
            _("the virus scanner found %(virus)s in it. It is not stored; check your computer.")
            % {"virus": verdict.signature},
        )
    return CheckedFile(upload, name, upload.size, kind, digest.hexdigest(), Scan.CLEAN)


def check_uploads(uploads) -> list[CheckedFile]:
    """Every file, or one ValidationError with a message per refused file."""
    uploads = list(uploads)
    if len(uploads) > max_files():
        raise ValidationError(
            ngettext(
                "At most %(max)s file per update; you attached %(n)s.",
                "At most %(max)s files per update; you attached %(n)s.",
                max_files(),
            )
            % {"max": max_files(), "n": len(uploads)},
            code="too_many",
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return checked
