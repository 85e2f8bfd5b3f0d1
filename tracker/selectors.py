"""Reads that feed the pages: recommendation lists, a recommendation, the dashboard."""

import datetime

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from hearings.models import (
    AgendaPoint,
    GcmObjective,
    GcmTag,
    Recommendation,
    SdgTag,
    SdgTarget,
    Theme,
)

from . import tallies
from .evidence.models import EvidenceFile
from .models import OPEN_STATUSES, FollowUpLine, Status, StatusUpdate, Tally


def recommendations_for_list():
    """Current recommendations with what a list row shows, in report order."""
    return (
        Recommendation.objects.current()
        .select_related("paragraph", "theme", "progress", "restates__progress")
        .prefetch_related("addressees", "agenda_points")
    )


def recommendation_detail(code: str):
    # What is public of each (tracker.publication) comes in the same queries: a line's or
    # the recommendation's withholding, an update's publication.
    lines = (
        FollowUpLine.objects.select_related("actor", "current_update", "withholding__withheld_by")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=StatusUpdate.objects.select_related(
                    "recorded_by", "corrects", "publication"
                )
                .order_by("-effective_date", "-recorded_at", "-id")
                .prefetch_related(
                    Prefetch(
                        "evidence_files",
                        queryset=EvidenceFile.objects.select_related("withdrawn_by"),
                    )
                ),
            )
        )
        .order_by("-addressed", "actor__name")
    )
    return (
        Recommendation.objects.select_related(
            "paragraph__chapter",
            "paragraph__section",
            "theme",
            "progress",
            "restates__progress",
            "restates__withholding",
            "withholding__withheld_by",
        )
        .prefetch_related(
            "addressee_links__actor",
            "mentioned_actors",
            "agenda_points",
            Prefetch("gcm_tags", queryset=GcmTag.objects.select_related("objective")),
            Prefetch("sdg_tags", queryset=SdgTag.objects.select_related("target")),
            "restatements",
            Prefetch("follow_up_lines", queryset=lines),
        )
        .get(code=code)
    )


def main_recommendation_count(
    *, themes=(), agenda_point=None, gcm_objective=None, sdg_target=None, statuses=()
) -> int:
    """Current main recommendations, of these themes (or this agenda point, Global Compact
    objective or SDG target) and statuses (all where none is given), from the dashboard's
    figures: one small query."""
    figure, keys = Tally.Figure.THEME, {theme.pk for theme in themes}
    for kind, group in (
        (Tally.Figure.AGENDA_POINT, agenda_point),
        (Tally.Figure.GCM_OBJECTIVE, gcm_objective),
        (Tally.Figure.SDG_TARGET, sdg_target),
    ):
        if group is not None:
            figure, keys = kind, {group.pk}
    return sum(
        n
        for (kind, key, status), n in tallies.figures().items()
        if kind == figure and (not keys or key in keys) and (not statuses or status in statuses)
    )


def stale_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=settings.STALE_AFTER_DAYS)


def _distribution(sums: dict, figure: str, groups):
    """Main recommendations per overall status, for each group (theme, agenda point,
    Global Compact objective or SDG target)."""
    return [
        (group, {status: sums.get((figure, group.pk, status), 0) for status in Status.values})
        for group in groups
    ]


def _lines_per_status(sums: dict, actor_ids=None) -> dict[str, int]:
    totals = dict.fromkeys(Status.values, 0)
    for (figure, key, status), n in sums.items():
        if figure == Tally.Figure.ACTOR_LINES and (actor_ids is None or key in actor_ids):
            totals[status] += n
    return totals


def dashboard(user_actor_ids=frozenset(), today=None):
    """Every figure on the dashboard, in a constant number of queries that read neither
    every line nor every recommendation: per status from the tallies (tracker.tallies),
    overdue and stale from partial indexes by date over the open lines."""
    today = today or timezone.localdate()
    since = stale_since()
    sums = tallies.figures()
    themes = list(Theme.objects.all())
    by_theme = _distribution(sums, Tally.Figure.THEME, themes)
    line_totals = _lines_per_status(sums)
    # Every recommendation has exactly one theme: the totals are the themes' sums.
    rec_totals = {status: sum(row[status] for _theme, row in by_theme) for status in Status.values}
    open_lines = FollowUpLine.objects.counted_open()
    overdue = open_lines.filter(target_date__lt=today)  # open: overdue_condition, index only
    # Stale: open, and neither recorded on nor created since; counted as the open lines
    # less those touched since, which the index by time finds in a short range.
    touched = open_lines.filter(Q(last_recorded_at__gte=since) | Q(created_at__gte=since))
    stale = open_lines.stale(since)
    listed = ("recommendation", "actor")
    figures = {
        "themes": by_theme,
        "agenda_points": _distribution(sums, Tally.Figure.AGENDA_POINT, AgendaPoint.objects.all()),
        "gcm_objectives": _distribution(
            sums, Tally.Figure.GCM_OBJECTIVE, GcmObjective.objects.all()
        ),
        "sdg_targets": _distribution(sums, Tally.Figure.SDG_TARGET, SdgTarget.objects.all()),
        "line_totals": line_totals,
        "recommendation_totals": rec_totals,
        "recommendation_count": sum(rec_totals.values()),
        "line_count": sum(line_totals.values()),
        "recent_updates": list(
            StatusUpdate.objects.select_related(
                "line__recommendation", "line__actor", "recorded_by"
            ).order_by("-recorded_at", "-id")[:10]
        ),
        "overdue_count": overdue.count(),
        "overdue": list(overdue.select_related(*listed).order_by("target_date", "pk")[:10]),
        "stale_count": sum(line_totals[s] for s in OPEN_STATUSES) - touched.count(),
        "stale": list(
            stale.select_related(*listed).order_by("last_recorded_at", "created_at")[:10]
        ),
        "stale_days": settings.STALE_AFTER_DAYS,
    }
    if user_actor_ids:
        mine = _lines_per_status(sums, set(user_actor_ids))
        figures["my_totals"] = mine
        figures["my_count"] = sum(mine.values())
    return figures
