"""Evidence file writes: storing checked files for a status update, and withdrawing one.

Storing is in two steps, so that an update and its files are recorded together or not at
all (tracker.services.status_update_record): `files_store` writes the bytes under random
names before the update's transaction (uploading takes time and holds no row lock);
`files_attach` inserts their rows in that transaction; `files_discard` deletes the bytes
again if the transaction fails. A withdrawal deletes the bytes inside its transaction,
last: a file that reads as withdrawn is gone from storage.
"""

import logging
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from hearings.text import validate_safe_text

from .access import can_withdraw
from .models import MAX_REASON_LENGTH, EvidenceFile
from .uploads import CheckedFile

logger = logging.getLogger(__name__)


def storage():
    """The evidence files' storage (settings.STORAGES["evidence"])."""
    return storages["evidence"]


@dataclass(frozen=True)
class StoredFile:
    checked: CheckedFile
    stored_name: str


class AlreadyWithdrawn(Exception):
    """The file was withdrawn meanwhile (by someone else, or in another tab)."""


def new_stored_name() -> str:
    """A random name in two levels of folders, so that no folder holds too many files."""
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name}"


def files_store(checked: list[CheckedFile]) -> list[StoredFile]:
    """Write the files' bytes to storage under new random names."""
    stored: list[StoredFile] = []
    try:
        for item in checked:
            if not isinstance(item, CheckedFile):
                raise TypeError("only files checked by tracker.evidence.uploads are stored")
            item.upload.seek(0)
            name = storage().save(new_stored_name(), item.upload)
            stored.append(StoredFile(item, name))
    except BaseException:
        files_discard(stored)
        raise
    return stored


def files_attach(update, stored: list[StoredFile]) -> list[EvidenceFile]:
    """The stored files' rows, for a status update being recorded (in its transaction)."""
    return EvidenceFile.objects.bulk_create(
        EvidenceFile(
            update=update,
            stored_name=item.stored_name,
            original_name=item.checked.name,
            size=item.checked.size,
            kind=item.checked.kind,
            sha256=item.checked.sha256,
            scan=item.checked.scan,
        )
        for item in stored
    )


def files_discard(stored: list[StoredFile]) -> None:
    """Delete stored bytes whose rows were never written."""
    for item in stored:
        try:
            storage().delete(item.stored_name)
        except Exception:  # the original error matters more; this one is logged
            logger.exception("could not delete the unrecorded file %s", item.stored_name)


@transaction.atomic
def evidence_file_withdraw(*, evidence_file_id: int, user, reason: str) -> EvidenceFile:
    """A coordinator withdraws a file: its bytes are deleted, its row says who, when, why.

    Raises PermissionDenied for anyone else, AlreadyWithdrawn if it was withdrawn meanwhile,
    ValueError for an empty or unsafe reason (the form says so first)."""
    if not can_withdraw(user):
        raise PermissionDenied
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON_LENGTH:
        raise ValueError("a withdrawal needs a reason")
    validate_safe_text(reason)
    evidence_file = EvidenceFile.objects.select_for_update().get(pk=evidence_file_id)
    if evidence_file.is_withdrawn:
        raise AlreadyWithdrawn
    evidence_file.withdrawn_at = timezone.now()
    evidence_file.withdrawn_by = user
    evidence_file.withdrawal_reason = reason
    evidence_file.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    # Last: if deleting fails, nothing is withdrawn and the coordinator is told to retry.
    storage().delete(evidence_file.stored_name)
    return evidence_file
