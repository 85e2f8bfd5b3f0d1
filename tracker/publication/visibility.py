"""What the public side may show, written once: the public site (tracker.public), its open
data and feeds read through these, and nothing else decides it.

Public: current recommendations (main and restatements) not kept out of public view, nor
restating one that is; the lines that count on public main recommendations, not kept out;
a status update's note and evidence only while published. Never public: who recorded,
internal (unpublished) notes, accounts, the audit log, and target dates unless published.
"""

from django.db.models import Exists, OuterRef, Q

from hearings.models import Recommendation
from tracker.models import ACTIVE_LINE, FollowUpLine, StatusUpdate

from .models import NotePublication, PublicSite, Withholding


def site() -> PublicSite:
    return PublicSite.load()


def _withheld_recommendation(ref: str) -> Exists:
    return Exists(Withholding.objects.filter(recommendation_id=OuterRef(ref)))


def recommendations():
    """Public recommendations, main and restatements."""
    return (
        Recommendation.objects.current()
        .exclude(_withheld_recommendation("pk"))
        .exclude(Q(restates__isnull=False) & _withheld_recommendation("restates_id"))
    )


def lines():
    """Public lines: counting lines of public main recommendations, not kept out."""
    return (
        FollowUpLine.objects.followed()
        .filter(ACTIVE_LINE)
        .exclude(_withheld_recommendation("recommendation_id"))
        .exclude(Exists(Withholding.objects.filter(line_id=OuterRef("pk"))))
    )


def published_updates():
    """Status updates whose note is published, on public lines."""
    return StatusUpdate.objects.filter(
        Exists(NotePublication.objects.filter(update_id=OuterRef("pk"))),
        line__in=lines(),
    )


def withheld_line_ids() -> set[int]:
    """Lines kept out of public view, one by one or with their recommendation (few: for
    taking their share out of the dashboard's figures)."""
    own = Withholding.objects.filter(line__isnull=False).values_list("line_id", flat=True)
    with_recommendation = FollowUpLine.objects.filter(
        recommendation__withholding__isnull=False
    ).values_list("id", flat=True)
    return set(own) | set(with_recommendation)
