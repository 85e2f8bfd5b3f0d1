"""`manage.py public_site on|off|status [--target-dates on|off]`: the Public site page's
switches from the command line. Audited like the page: the audit log shows the change as
made by "the command line (manage.py public_site)"."""

from auditlog.context import set_extra_data
from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone

from tracker.audit.changes import COMMAND_KEY
from tracker.publication import selectors, services

STATES = ("on", "off", "status")
SWITCHES = ("on", "off")


class Command(BaseCommand):
    help = (
        "Switch the public site on or off, publish target dates or keep them private, or "
        "say how it stands: public_site on | off | status [--target-dates on|off]. Each "
        "change is in the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "state",
            nargs="?",
            help="on, off (the public site), or status (say how it stands, change nothing)",
        )
        parser.add_argument(
            "--target-dates",
            dest="target_dates",
            metavar="on|off",
            help="on: target dates, and the overdue and stale figures, public; off: private",
        )

    def handle(self, *args, state=None, target_dates=None, **options):
        if state is None and target_dates is None:
            raise CommandError(
                "Say what to do: `public_site on`, `public_site off` or `public_site status` "
                "(and `--target-dates on` or `--target-dates off`)."
            )
        if state is not None and state.lower() not in STATES:
            raise CommandError(
                f"Unknown state “{state}”: say on, off or status (e.g. `public_site on`)."
            )
        if target_dates is not None and target_dates.lower() not in SWITCHES:
            raise CommandError(
                f"Unknown value “{target_dates}” for --target-dates: say on or off "
                "(e.g. `public_site on --target-dates off`)."
            )
        state = state.lower() if state else None
        if state == "status" and target_dates is not None:
            raise CommandError(
                "`status` changes nothing: leave it out to set target dates "
                "(`public_site --target-dates on`)."
            )
        if state != "status":
            with set_extra_data({"additional_data": {COMMAND_KEY: "public_site"}}):
                changed = services.site_set(
                    user=None,
                    is_on=None if state is None else state == "on",
                    target_dates_public=None if target_dates is None else target_dates == "on",
                )
            self.stdout.write("Changed." if changed else "Nothing changed: it was so already.")
        self.stdout.write(status_text())


def status_text() -> str:
    """How the public site stands, in a few lines."""
    site = selectors.site_now()
    notes = selectors.note_counts()
    recommendations, lines = selectors.withholdings()
    if site.changed_at is None:
        since = "never switched on yet"
    else:
        when = formats.date_format(timezone.localtime(site.changed_at), "DATETIME_FORMAT")
        who = (
            (site.changed_by.get_full_name() or site.changed_by.get_username())
            if site.changed_by
            else "the command line"
        )
        since = f"last changed on {when} by {who}"
    return "\n".join(
        [
            f"The public site is {'on' if site.is_on else 'off'} ({since}).",
            (
                "Target dates are public, with the overdue and stale figures."
                if site.target_dates_public
                else "Target dates are private, and so are the overdue and stale figures."
            ),
            f"Published notes: {notes.published} of {notes.recorded} status updates; "
            f"{notes.shown} shown on the public site while it is on.",
            f"Kept out of public view: {_count(len(recommendations), 'recommendation')}, "
            f"{_count(len(lines), 'line')}.",
        ]
    )


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")
