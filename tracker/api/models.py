"""Personal API tokens. A token is shown once, when it is made; only its SHA-256 is kept,
so a stolen database gives no working token. Tokens expire, may be revoked, and stop
working with their user's account."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read-write", _("Read and write (record status updates)")


class ApiTokenQuerySet(models.QuerySet):
    def working(self, now=None):
        """Not revoked, not expired, of an active account."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    Scope = Scope

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “NRTD sync”.")
    )
    # The token's first characters, to tell tokens apart on the page; never enough to use.
    prefix = models.CharField(_("begins with"), max_length=16)
    key_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=Scope.values), name="api_token_scope"),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_name_required"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="api_token_expires_later"
            ),
        ]
        indexes = [
            # The preferences page: a user's tokens, newest first.
            models.Index(fields=["user", "-created_at"], name="api_token_by_user"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.READ_WRITE

    def state(self, now=None) -> str:
        """ "working", "revoked", "expired" or "inactive" (the account is deactivated)."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        if not self.user.is_active:
            return "inactive"
        return "working"
