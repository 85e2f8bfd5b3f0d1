"""An evidence file: a document or image attached to a status update, append-only like it.

The bytes live in the `evidence` storage (settings.STORAGES) under a random name; the
original name, size, type and checksum are kept here. A file is never edited or deleted
through the app; a coordinator may withdraw one: its bytes are deleted from storage, the
row stays with its name, who withdrew it, when and why.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MAX_NAME_LENGTH = 255
MAX_REASON_LENGTH = 2_000


class Kind(models.TextChoices):
    """What a file is, decided by its content (tracker.evidence.content)."""

    PDF = "pdf", _("PDF document")
    DOCX = "docx", _("Word document")
    XLSX = "xlsx", _("Excel workbook")
    PPTX = "pptx", _("PowerPoint presentation")
    ODT = "odt", _("OpenDocument text")
    ODS = "ods", _("OpenDocument spreadsheet")
    ODP = "odp", _("OpenDocument presentation")
    DOC = "doc", _("Word 97-2003 document")
    XLS = "xls", _("Excel 97-2003 workbook")
    PNG = "png", _("PNG image")
    JPEG = "jpeg", _("JPEG image")
    GIF = "gif", _("GIF image")
    WEBP = "webp", _("WebP image")


# Each kind's media type (sent on download) and the file name endings that may carry it.
MEDIA_TYPES = {
    Kind.PDF: "application/pdf",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    Kind.ODT: "application/vnd.oasis.opendocument.text",
    Kind.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    Kind.ODP: "application/vnd.oasis.opendocument.presentation",
    Kind.DOC: "application/msword",
    Kind.XLS: "application/vnd.ms-excel",
    Kind.PNG: "image/png",
    Kind.JPEG: "image/jpeg",
    Kind.GIF: "image/gif",
    Kind.WEBP: "image/webp",
}
EXTENSIONS = {kind: (kind.value,) for kind in Kind} | {Kind.JPEG: ("jpg", "jpeg")}


class Scan(models.TextChoices):
    CLEAN = "clean", _("scanned, no virus found")
    NOT_SCANNED = "not-scanned", _("not scanned (no virus scanner is configured)")


WITHDRAWAL_FIELDS = ("withdrawn_at", "withdrawn_by", "withdrawal_reason")


class EvidenceFile(models.Model):
    """A file attached to a status update."""

    update = models.ForeignKey(
        "tracker.StatusUpdate",
        on_delete=models.PROTECT,
        related_name="evidence_files",
        verbose_name=_("status update"),
    )
    # In download links: random, so a link says nothing about other files.
    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    stored_name = models.CharField(_("name in storage"), max_length=100, unique=True)
    original_name = models.CharField(_("file name"), max_length=MAX_NAME_LENGTH)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    scan = models.CharField(_("virus scan"), max_length=20, choices=Scan.choices)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["update_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="evidence_file_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(scan__in=Scan.values), name="evidence_file_scan_valid"
            ),
            # Withdrawn: when, by whom and why, all three; else none of them.
            models.CheckConstraint(
                condition=Q(
                    withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawal_reason=""
                )
                | (
                    Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                    & ~Q(withdrawal_reason="")
                ),
                name="evidence_file_withdrawal_complete",
            ),
        ]
        # The update's files, on the timeline and in the reports: the foreign key's index.

    def __str__(self):
        return self.original_name

    def save(self, *args, **kwargs):
        # Append-only: a new row, or its withdrawal (tracker.evidence.services), nothing else.
        fields = set(kwargs.get("update_fields") or ())
        changing = self.pk is not None and not kwargs.get("force_insert")
        if changing and (not fields or fields - set(WITHDRAWAL_FIELDS)):
            raise ValidationError(_("Evidence files are never changed; withdraw one instead."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("evidence-download", args=[self.key])

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Evidence files are never deleted; withdraw one instead."))

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[Kind(self.kind)]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
