"""Reads that feed the pages: recommendation lists, a recommendation, the dashboard."""

import datetime

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from hearings.models import AgendaPoint, Recommendation, Theme

from .evidence.models import EvidenceFile
from .models import (
    FollowUpLine,
    RecommendationProgress,
    Status,
    StatusUpdate,
    overdue_condition,
    stale_condition,
)


def recommendations_for_list():
    """Current recommendations with what a list row shows, in report order."""
    return (
        Recommendation.objects.current()
        .select_related("paragraph", "theme", "progress", "restates__progress")
        .prefetch_related("addressees", "agenda_points")
    )


def recommendation_detail(code: str):
    lines = (
        FollowUpLine.objects.select_related("actor", "current_update")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=StatusUpdate.objects.select_related("recorded_by", "corrects")
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
            "paragraph__chapter", "paragraph__section", "theme", "progress", "restates__progress"
        )
        .prefetch_related(
            "addressee_links__actor",
            "mentioned_actors",
            "agenda_points",
            "restatements",
            Prefetch("follow_up_lines", queryset=lines),
        )
        .get(code=code)
    )


def stale_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=settings.STALE_AFTER_DAYS)


def _distribution(group_field: str, groups):
    """Main recommendations per overall status, for each group (theme or agenda point)."""
    rows = (
        RecommendationProgress.objects.filter(
            recommendation__withdrawn_at__isnull=True,
            recommendation__restates__isnull=True,
        )
        .values(group_field, "status")
        .annotate(n=Count("pk"))
    )
    table = {group.pk: dict.fromkeys(Status.values, 0) for group in groups}
    for row in rows:
        if row[group_field] in table:
            table[row[group_field]][row["status"]] += row["n"]
    return [(group, table[group.pk]) for group in groups]


def dashboard(user_actor_ids=frozenset(), today=None):
    """Every figure on the dashboard, in a constant number of queries."""
    today = today or timezone.localdate()
    since = stale_since()
    themes = list(Theme.objects.all())
    points = list(AgendaPoint.objects.all())
    lines = FollowUpLine.objects.followed().active()
    overdue, stale = overdue_condition(today), stale_condition(since)
    # One pass over the lines: per status, overdue and stale.
    counts = lines.aggregate(
        overdue=Count("pk", filter=overdue),
        stale=Count("pk", filter=stale),
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
    )
    line_totals = {status: counts[status] for status in Status.values}
    by_theme = _distribution("recommendation__theme", themes)
    # Every recommendation has exactly one theme: the totals are the themes' sums.
    rec_totals = {status: sum(row[status] for _theme, row in by_theme) for status in Status.values}
    listed = lines.select_related("recommendation", "actor")
    figures = {
        "themes": by_theme,
        "agenda_points": _distribution("recommendation__agenda_points", points),
        "line_totals": line_totals,
        "recommendation_totals": rec_totals,
        "recommendation_count": sum(rec_totals.values()),
        "line_count": sum(line_totals.values()),
        "recent_updates": list(
            StatusUpdate.objects.select_related(
                "line__recommendation", "line__actor", "recorded_by"
            ).order_by("-recorded_at", "-id")[:10]
        ),
        "overdue_count": counts["overdue"],
        "overdue": list(listed.filter(overdue).order_by("target_date", "pk")[:10]),
        "stale_count": counts["stale"],
        "stale": list(listed.filter(stale).order_by("last_recorded_at", "created_at")[:10]),
        "stale_days": settings.STALE_AFTER_DAYS,
    }
    if user_actor_ids:
        mine = lines.filter(actor_id__in=user_actor_ids).aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status in Status.values}
        )
        figures["my_totals"] = mine
        figures["my_count"] = sum(mine.values())
    return figures
