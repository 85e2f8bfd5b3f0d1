from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tracker.notifications"
    label = "notifications"
    verbose_name = _("Reminders and update requests")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Choices of digest frequency (on the preferences page or through the link in an
        # e-mail) and requests for an update are audited, as assignments are; the e-mails
        # themselves are their own record (Delivery).
        auditlog.register(models.DigestPreference, include_fields=["frequency"])
        auditlog.register(
            models.UpdateRequest, include_fields=["line", "requested_by", "requested_on"]
        )
