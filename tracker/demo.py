"""The demo (`make demo`, settings.DEMO): the app on its own SQLite file with a synthetic
follow-up history (tracker.demo_history). Every page (templates/base.html, through
tracker.context_processors) and every export (tracker.reports.options.ExportOptions.demo)
says so, in these words."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEMO_NOTICE = _(
    "Demo data: the follow-up history here is synthetic, made up to show how the tracker "
    "works. It does not report what any government, organization or other actor has done."
)


def is_demo() -> bool:
    return bool(getattr(settings, "DEMO", False))
