"""Follow-up: who reports on what. Status updates come with the follow-up issue."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    FOCAL_POINT = "focal-point", _("Focal point")
    COORDINATOR = "coordinator", _("Coordinator")


class Profile(models.Model):
    """A staff member's role in the tracker and, for a focal point, the actors they report for."""

    Role = Role

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    actors = models.ManyToManyField(
        "hearings.Actor",
        related_name="focal_points",
        blank=True,
        verbose_name=_("reports for"),
        help_text=_("A focal point records follow-up for exactly these actors."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="tracker_profile_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"
