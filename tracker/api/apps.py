from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "tracker.api"
    label = "api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog

        from . import schema  # noqa: F401 - registers the authentication schemes
        from .models import ApiToken

        # Creating and revoking a token are audited; its hash and its last use are not
        # (the hash is no one's business, and the last use changes every minute).
        auditlog.register(
            ApiToken,
            include_fields=["user", "name", "prefix", "scope", "expires_at", "revoked_at"],
        )
