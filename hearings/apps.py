from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("The report")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models
        from .translation import other_columns as tr

        # Catalogue data a coordinator can correct is audited: who, when, what changed.
        auditlog.register(
            models.Theme, include_fields=["key", "number", "title", "chapter", *tr("title")]
        )
        auditlog.register(
            models.AgendaPoint, include_fields=["key", "number", "title", "theme", *tr("title")]
        )
        auditlog.register(
            models.Actor,
            include_fields=["key", "name", "short_name", "kind", *tr("name", "short_name")],
            m2m_fields={"groups"},
        )
        auditlog.register(
            models.Recommendation,
            include_fields=[
                "code", "paragraph", "item", "title", "text", "theme", "restates",
                "position", "withdrawn_at", *tr("title"),
            ],
            m2m_fields={"mentioned_actors", "agenda_points"},
        )  # fmt: skip
        auditlog.register(models.Addressee)
        auditlog.register(
            models.GcmObjective,
            include_fields=["key", "number", "title", "short_title", *tr("title", "short_title")],
        )
        auditlog.register(
            models.SdgTarget,
            include_fields=[
                "key",
                "code",
                "goal",
                "title",
                "short_title",
                *tr("title", "short_title"),
            ],
        )
        auditlog.register(models.GcmTag)
        auditlog.register(models.SdgTag)
