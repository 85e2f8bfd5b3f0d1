from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "tracker.evidence"
    label = "evidence"
    verbose_name = _("Evidence files")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import EvidenceFile

        # Uploads are part of their status update's own history; a withdrawal is audited.
        auditlog.register(
            EvidenceFile, include_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"]
        )
