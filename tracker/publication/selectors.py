"""Reads of the Public site page and of `manage.py public_site status`: how the site stands,
what is kept out of public view, and published notes counted."""

from dataclasses import dataclass

from tracker.models import StatusUpdate

from . import visibility
from .models import NotePublication, PublicSite, Withholding


def site_now() -> PublicSite:
    """The switch as stored, with who last changed it; an unsaved row (off, target dates
    private) if nobody ever has: a page that only reads writes nothing."""
    site = PublicSite.objects.select_related("changed_by").filter(pk=PublicSite.ONLY).first()
    return site or PublicSite()


@dataclass(frozen=True)
class NoteCounts:
    recorded: int  # every status update
    published: int  # published notes, wherever they are
    shown: int  # published notes on public lines: what the public site shows while on

    @property
    def hidden(self) -> int:
        """Published, but on a recommendation or line that is not public."""
        return self.published - self.shown


def note_counts() -> NoteCounts:
    return NoteCounts(
        recorded=StatusUpdate.objects.count(),
        published=NotePublication.objects.count(),
        shown=visibility.published_updates().count(),
    )


def withholdings() -> tuple[list[Withholding], list[Withholding]]:
    """What is kept out of public view, latest first: (recommendations, lines), in one query
    with the targets and who kept them out."""
    rows = Withholding.objects.select_related(
        "recommendation", "line__recommendation", "line__actor", "withheld_by"
    ).order_by("-withheld_at", "-pk")
    recommendations, lines = [], []
    for row in rows:
        (recommendations if row.recommendation_id else lines).append(row)
    return recommendations, lines
