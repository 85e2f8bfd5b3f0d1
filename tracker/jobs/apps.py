from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "tracker.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from . import checks  # noqa: F401 - registers the schedule's system check
