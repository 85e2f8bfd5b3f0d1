"""The public site's reads: only what tracker.publication.visibility says is public, and
the figures with the share kept out of public view taken out (tracker.public.shares).

Never read here: who recorded an update, unpublished notes, accounts, withholding
reasons, and target dates (with the overdue and stale figures that reveal them) unless
the site publishes them.
"""

import datetime
from collections import Counter
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from hearings.models import (
    Actor,
    AgendaPoint,
    Chapter,
    GcmObjective,
    GcmTag,
    Paragraph,
    SdgTag,
    SdgTarget,
    Theme,
)
from hearings.translation import columns
from tracker import tallies
from tracker.evidence.selectors import available_files
from tracker.filters import FEW_LINES
from tracker.models import OPEN_STATUSES, FollowUpLine, Status, Tally
from tracker.publication import visibility

from .shares import Withheld

RECENT = 10
# A paragraph of the report reader lists this many recommendations, then links to the list.
PARAGRAPH_RECOMMENDATIONS = 25
Figure = Tally.Figure


def public_sums(shares: Withheld) -> Counter:
    """Every figure of the dashboard's tallies, less what is kept out of public view."""
    sums = Counter(tallies.figures())
    sums.update(shares.tally_changes)
    return sums


def _distribution(sums, figure, groups):
    return [
        (group, {status: sums.get((figure, group.pk, status), 0) for status in Status.values})
        for group in groups
    ]


def actor_line_totals(sums) -> dict[int, dict[str, int]]:
    """{actor id: {status: public lines}} for the actors with public lines."""
    per_actor: dict[int, dict[str, int]] = {}
    for (figure, key, status), n in sums.items():
        if figure == Figure.ACTOR_LINES and n:
            per_actor.setdefault(key, dict.fromkeys(Status.values, 0))[status] += n
    return per_actor


def actors_with_lines(sums):
    """[(actor, {status: n})] for every actor with a public line, most lines first."""
    per_actor = actor_line_totals(sums)
    actors = Actor.objects.filter(pk__in=list(per_actor)).only(
        "pk", "key", *columns("name", "short_name")
    )
    rows = [(actor, per_actor[actor.pk]) for actor in actors]
    rows.sort(key=lambda row: (-sum(row[1].values()), row[0].local_name.casefold()))
    return rows


def dashboard(site, shares: Withheld, today=None) -> dict:
    """Every public figure, in a constant number of queries: per status from the tallies
    less the withheld share; overdue and stale only when target dates are public."""
    sums = public_sums(shares)
    by_theme = _distribution(sums, Figure.THEME, Theme.objects.order_by("number"))
    by_actor = actors_with_lines(sums)
    line_totals = dict.fromkeys(Status.values, 0)
    for _actor, counts in by_actor:
        for status, n in counts.items():
            line_totals[status] += n
    rec_totals = {s: sum(row[s] for _theme, row in by_theme) for s in Status.values}
    figures = {
        "themes": by_theme,
        "agenda_points": _distribution(
            sums, Figure.AGENDA_POINT, AgendaPoint.objects.order_by("number")
        ),
        "gcm_objectives": _distribution(sums, Figure.GCM_OBJECTIVE, GcmObjective.objects.all()),
        "sdg_targets": _distribution(sums, Figure.SDG_TARGET, SdgTarget.objects.all()),
        "actors": by_actor,
        "line_totals": line_totals,
        "recommendation_totals": rec_totals,
        "recommendation_count": sum(rec_totals.values()),
        "line_count": sum(line_totals.values()),
        "recent_notes": list(
            visibility.published_updates()
            .select_related("line__recommendation", "line__actor")
            .order_by("-publication__published_at", "-id")[:RECENT]
        ),
    }
    if site.target_dates_public:
        figures.update(_clock_figures(shares, line_totals, today or timezone.localdate()))
    return figures


def _clock_figures(shares: Withheld, line_totals, today) -> dict:
    """Overdue and stale public lines: the staff dashboard's reads by partial index, less
    the few lines kept out of public view."""
    since = timezone.now() - datetime.timedelta(days=settings.STALE_AFTER_DAYS)
    open_lines = FollowUpLine.objects.counted_open()
    hidden = shares.counted_lines
    hidden_open = [line for line in hidden if line["counted_status"] in OPEN_STATUSES]
    overdue = open_lines.filter(target_date__lt=today)
    touched = open_lines.filter(Q(last_recorded_at__gte=since) | Q(created_at__gte=since))
    hidden_overdue = sum(
        1 for line in hidden_open if line["target_date"] and line["target_date"] < today
    )
    hidden_touched = sum(
        1
        for line in hidden_open
        if (line["last_recorded_at"] and line["last_recorded_at"] >= since)
        or line["created_at"] >= since
    )
    open_count = sum(line_totals[s] for s in OPEN_STATUSES)  # public already
    listed = ("recommendation", "actor")
    return {
        "overdue_count": overdue.count() - hidden_overdue,
        "overdue": list(
            overdue.exclude(pk__in=shares.line_ids)
            .select_related(*listed)
            .order_by("target_date", "pk")[:RECENT]
        ),
        "stale_count": open_count - (touched.count() - hidden_touched),
        "stale": list(
            open_lines.stale(since)
            .exclude(pk__in=shares.line_ids)
            .select_related(*listed)
            .order_by("last_recorded_at", "created_at")[:RECENT]
        ),
        "stale_days": settings.STALE_AFTER_DAYS,
    }


def recommendations_for_list():
    """Public recommendations with what a list row shows, in report order."""
    return (
        visibility.recommendations()
        .select_related("paragraph", "theme", "progress", "restates__progress")
        .prefetch_related("addressees", "agenda_points")
    )


def count_from_figures(
    sums, *, themes=(), agenda_point=None, gcm_objective=None, sdg_target=None, statuses=()
) -> int:
    """Public main recommendations of these themes (or this agenda point, Global Compact
    objective or SDG target) and statuses, from the public figures."""
    figure, keys = Figure.THEME, {theme.pk for theme in themes}
    for kind, group in (
        (Figure.AGENDA_POINT, agenda_point),
        (Figure.GCM_OBJECTIVE, gcm_objective),
        (Figure.SDG_TARGET, sdg_target),
    ):
        if group is not None:
            figure, keys = kind, {group.pk}
    return sum(
        n
        for (kind, key, status), n in sums.items()
        if kind == figure and (not keys or key in keys) and (not statuses or status in statuses)
    )


def with_public_status(recs, shares: Withheld):
    """Give each recommendation `public_status` (a Status, or None) and
    `public_line_counts`: its own, or for a restatement its main entry's."""
    for rec in recs:
        main = rec.restates if rec.restates_id else rec
        found = shares.status_of(main.pk, getattr(main, "progress", None))
        rec.public_status = Status(found[0]) if found else None
        rec.public_line_counts = found[1] if found else {}
    return recs


def recommendation_detail(code: str):
    """A public recommendation with its public lines and their published notes (with
    their evidence files not withdrawn); Recommendation.DoesNotExist otherwise."""
    updates = (
        visibility.published_updates()
        .order_by("-effective_date", "-recorded_at", "-id")
        .prefetch_related(Prefetch("evidence_files", queryset=available_files()))
    )
    lines = (
        visibility.lines()
        .select_related("actor")
        .prefetch_related(Prefetch("updates", queryset=updates, to_attr="published"))
        .order_by("-addressed", "actor__name")
    )
    return (
        visibility.recommendations()
        .select_related(
            "paragraph__chapter", "paragraph__section", "theme", "progress", "restates__progress"
        )
        .prefetch_related(
            "addressee_links__actor",
            "mentioned_actors",
            "agenda_points",
            Prefetch("gcm_tags", queryset=GcmTag.objects.select_related("objective")),
            Prefetch("sdg_tags", queryset=SdgTag.objects.select_related("target")),
            Prefetch("restatements", queryset=visibility.recommendations().order_by("position")),
            Prefetch("follow_up_lines", queryset=lines, to_attr="public_lines"),
        )
        .get(code=code)
    )


def actor_lines(actor):
    """An actor's public lines, in report order, with what a row shows. The lines of an
    actor with few (one Member State) are named by id first, read on the actor's index
    (filters.with_lines_of's reason: walking every recommendation in report order for a
    rare actor's lines took 400 ms at 267,000)."""
    lines = visibility.lines().filter(actor=actor)
    mine = FollowUpLine.objects.filter(actor=actor).order_by()  # the index alone
    ids = list(mine.values_list("pk", flat=True)[: FEW_LINES + 1])
    if len(ids) <= FEW_LINES:
        lines = lines.filter(pk__in=ids)
    return lines.select_related("recommendation__theme", "recommendation__paragraph").order_by(
        "recommendation__position", "pk"
    )


def actor_mentions(actor) -> int:
    """Public recommendations that mention the actor without addressing it (counted up to
    a hundred: a figure for a sentence, not a list)."""
    return (
        visibility.recommendations()
        .filter(mentioned_actors=actor)
        .exclude(addressees=actor)
        .order_by()[:100]
        .count()
    )


def report_index():
    """Chapters with their sections, paragraphs and public recommendations counted (per
    paragraph, on the recommendations' table alone, then added up per chapter)."""
    per_paragraph = {
        row["paragraph_id"]: row["n"]
        for row in visibility.recommendations()
        .order_by()
        .values("paragraph_id")
        .annotate(n=Count("pk"))
    }
    chapter_of = dict(Paragraph.objects.values_list("pk", "chapter_id"))
    per_chapter: Counter = Counter()
    for paragraph_id, n in per_paragraph.items():
        per_chapter[chapter_of.get(paragraph_id)] += n
    chapters = list(
        Chapter.objects.annotate(paragraph_count=Count("paragraphs"))
        .prefetch_related("sections")
        .order_by("order")
    )
    for chapter in chapters:
        chapter.recommendation_count = per_chapter.get(chapter.pk, 0)
    return chapters


def report_chapter(chapter):
    """The chapter's paragraphs, each with its first public recommendations
    (`public_recommendations`) and whether it has more (`more_recommendations`).

    One query per paragraph of the chapter (the report's structure: at most a dozen), each
    reading PARAGRAPH_RECOMMENDATIONS + 1 rows by index: at 267,000 recommendations a
    chapter holds tens of thousands, and one window over all of them (a sliced Prefetch)
    took half a second on PostgreSQL; SQLite has no LIMIT inside a UNION."""
    first = visibility.recommendations().select_related("progress", "restates__progress")
    paragraphs = list(
        Paragraph.objects.filter(chapter=chapter).select_related("section").order_by("number")
    )
    for paragraph in paragraphs:
        rows = list(
            first.filter(paragraph=paragraph).order_by("position")[: PARAGRAPH_RECOMMENDATIONS + 1]
        )
        paragraph.public_recommendations = rows[:PARAGRAPH_RECOMMENDATIONS]
        paragraph.more_recommendations = len(rows) > PARAGRAPH_RECOMMENDATIONS
    return paragraphs


def chapters_around(chapter):
    chapters = list(Chapter.objects.only("numeral", "title", "order").order_by("order"))
    index = [c.pk for c in chapters].index(chapter.pk)
    return SimpleNamespace(
        previous=chapters[index - 1] if index else None,
        next=chapters[index + 1] if index + 1 < len(chapters) else None,
    )


def sitemap_codes():
    return visibility.recommendations().order_by("position").values_list("code", flat=True)
