from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "tracker.publication"
    label = "publication"
    verbose_name = _("Publication")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog

        from . import receivers  # noqa: F401 - every public change moves the version
        from .models import NotePublication, PublicSite, Withholding

        # Switching the site, publishing or withdrawing a note, keeping an item out of
        # public view and letting it back: each is its own audited fact.
        auditlog.register(PublicSite, include_fields=["is_on", "target_dates_public"])
        auditlog.register(NotePublication, include_fields=["update", "published_by"])
        auditlog.register(Withholding, include_fields=["recommendation", "line", "reason"])
