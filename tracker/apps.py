from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Follow-up")

    def ready(self):
        from auditlog.registry import auditlog
        from django.contrib.auth import get_user_model

        from . import models, receivers  # noqa: F401 - connects the signal receivers

        # Count and audit failed logins; start a session's idle count at login.
        from .accounts import lockouts, sessions  # noqa: F401
        from .ops import checks  # noqa: F401 - registers the deployment checks

        # Assignments, lines and accounts are audited; status updates are their own
        # append-only history.
        auditlog.register(
            models.FollowUpLine,
            include_fields=["addressed", "dropped_on", "followed_since", "target_date", "added_by"],
        )
        auditlog.register(models.Profile, include_fields=["role"], m2m_fields={"actors"})
        auditlog.register(
            get_user_model(),
            include_fields=["username", "email", "first_name", "last_name", "is_active"],
        )
