"""What every page and every export says about this install: that it holds demo data, when
it runs as the demo (`make demo`, settings.DEMO; the history itself is tracker.demo).
Pages show it through tracker.context_processors, exports through
tracker.reports.options.ExportOptions.demo."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEMO_NOTICE = _(
    "Demo data: the follow-up history here is synthetic, made up to show how the tracker "
    "works. It does not report what any government, organization or other actor has done."
)


def is_demo() -> bool:
    return bool(getattr(settings, "DEMO", False))
