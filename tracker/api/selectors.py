"""What a caller may read, as querysets: one place that says it for the API.

Anonymous callers (`Caller.public`) read through tracker.publication.visibility, exactly
what the public site shows; staff read what every staff page shows (every role reads
everything). Statuses as of a date follow tracker.reports.asof's rule."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from hearings.models import Addressee, GcmTag, Recommendation, SdgTag
from tracker.evidence.models import EvidenceFile
from tracker.models import FollowUpLine, StatusUpdate
from tracker.permissions import role_of
from tracker.publication import visibility
from tracker.reports.asof import active_lines_as_of, lines_as_of
from tracker.rollup import count_by_status, roll_up


@dataclass(frozen=True)
class Caller:
    user: object
    public: bool
    target_dates: bool  # staff, or target dates published

    @classmethod
    def of(cls, request) -> "Caller":
        if role_of(request.user) is not None:
            return cls(request.user, public=False, target_dates=True)
        site = getattr(request, "public_site", None) or visibility.site()
        return cls(request.user, public=True, target_dates=site.target_dates_public)


def recommendations(caller: Caller):
    """Current recommendations (main and restatements) the caller may read, with what a
    row of the API shows: a constant number of queries for any page."""
    base = visibility.recommendations() if caller.public else Recommendation.objects.current()
    return base.select_related(
        "paragraph__chapter", "theme", "progress", "restates__progress"
    ).prefetch_related(
        Prefetch("addressee_links", queryset=Addressee.objects.select_related("actor")),
        "mentioned_actors",
        "agenda_points",
        Prefetch("gcm_tags", queryset=GcmTag.objects.select_related("objective")),
        Prefetch("sdg_tags", queryset=SdgTag.objects.select_related("target")),
        Prefetch(
            "restatements",
            queryset=recommendations_plain(caller).only("code", "restates_id", "position"),
        ),
    )


def recommendations_plain(caller: Caller):
    return visibility.recommendations() if caller.public else Recommendation.objects.current()


def lines(caller: Caller):
    """Lines the caller may read: the public ones, or every line of a current main
    recommendation (including those no longer addressed) for staff."""
    base = visibility.lines() if caller.public else FollowUpLine.objects.followed()
    return base.select_related("recommendation", "actor")


def lines_on(caller: Caller, as_of: datetime.date | None):
    """lines(caller), as they stood on the date when one is given (reports.asof)."""
    if as_of is None:
        return lines(caller)
    return lines_as_of(lines(caller), as_of)


def updates(caller: Caller):
    """Status updates the caller may read: published ones on public lines, or all."""
    base = visibility.published_updates() if caller.public else StatusUpdate.objects.all()
    files = EvidenceFile.objects.filter(withdrawn_at__isnull=True).order_by("pk")
    return base.select_related(
        "line__recommendation", "line__actor", "recorded_by", "publication"
    ).prefetch_related(Prefetch("evidence_files", queryset=files))


def progress_of(caller: Caller, recs, as_of: datetime.date | None) -> dict:
    """{main recommendation id: (overall status, lines per status)} for these
    recommendations (restatements answer with their main entry's): as stored for staff
    today; rolled up from the public lines for anonymous callers (a line kept out of
    public view is no part of the public roll-up); as of a date from the lines then. One
    query, or none."""
    main_ids = sorted({rec.restates_id or rec.pk for rec in recs})
    if not main_ids:
        return {}
    if as_of is None and not caller.public:
        found = {}
        for rec in recs:
            main = rec.restates if rec.restates_id else rec
            progress = getattr(main, "progress", None)
            if progress is not None:
                found[main.pk] = (progress.status, progress.line_counts)
        return found
    chosen = lines(caller).filter(recommendation_id__in=main_ids).order_by()
    if as_of is None:
        rows = chosen.values_list("recommendation_id", "status")
    else:
        rows = active_lines_as_of(chosen, as_of).values_list("recommendation_id", "asof_status")
    statuses: dict[int, list[str]] = {pk: [] for pk in main_ids}
    for rec_id, status in rows:
        statuses[rec_id].append(status)
    return {pk: (roll_up(found), count_by_status(found)) for pk, found in statuses.items()}


def overdue(line, caller: Caller, today=None) -> bool | None:
    """Whether the line is overdue today; None where target dates are not public."""
    if not caller.target_dates:
        return None
    return line.is_overdue(today or timezone.localdate())
