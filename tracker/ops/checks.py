"""Deployment checks (`manage.py check --deploy`) for what Django's own do not see."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.utils.translation import gettext_lazy as _

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"


@register(Tags.security, deploy=True)
def email_not_printed_to_the_logs(app_configs, **kwargs):
    """The console e-mail backend prints every mail, password-reset links included, on
    stdout: in production that is the logs."""
    if settings.EMAIL_BACKEND != CONSOLE_EMAIL:
        return []
    return [
        Warning(
            _("EMAIL_BACKEND is the console backend: password-reset links go to the logs."),
            hint=_("Set EMAIL_BACKEND to django.core.mail.backends.smtp.EmailBackend."),
            id="tracker.W001",
        )
    ]
