from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("The report")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Catalogue data a coordinator can correct is audited: who, when, what changed.
        auditlog.register(models.Theme, exclude_fields=["source_values"])
        auditlog.register(models.AgendaPoint, exclude_fields=["source_values"])
        auditlog.register(models.Actor, exclude_fields=["source_values"], m2m_fields={"groups"})
        auditlog.register(
            models.Recommendation,
            exclude_fields=["source_values", "updated_at"],
            m2m_fields={"mentioned_actors", "agenda_points"},
        )
        auditlog.register(models.Addressee)
