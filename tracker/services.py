"""Follow-up writes, each in one transaction: recording a status update (with its evidence
files, the line's current status and the roll-up), keeping lines in step with the catalogue,
adding a line, setting a target date. Accounts are written by tracker.accounts.services."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from hearings.models import Actor, Addressee, Recommendation, Report
from hearings.text import validate_safe_text

from . import tallies
from .evidence import services as evidence
from .evidence.uploads import CheckedFile
from .models import (
    ACTIVE_LINE,
    HEARINGS_DATE,
    FollowUpLine,
    RecommendationProgress,
    StatusUpdate,
    Tally,
    is_evidence_url,
)
from .permissions import can_record_on, require_coordinator
from .publication import services as publication
from .rollup import count_by_status, roll_up


class StaleLine(Exception):
    """The line was updated after the form was opened; `newer` lists those updates."""

    def __init__(self, newer: list[StatusUpdate]):
        self.newer = newer
        super().__init__("the line was updated meanwhile")


# Recommendations refreshed per round of queries (and kept under SQLite's variable limit).
REFRESH_CHUNK = 2000
PROGRESS_FIELDS = [
    "status",
    "line_counts",
    "counted_status",
    "counted_theme_id",
    "counted_agenda_ids",
    "counted_gcm_ids",
    "counted_sdg_ids",
]


def progress_refresh(recommendation_ids) -> None:
    """Recompute the rolled-up status of these recommendations from their active lines, and
    the dashboard's figures with it (tracker.tallies), in the caller's transaction."""
    ids = sorted(set(recommendation_ids))
    for start in range(0, len(ids), REFRESH_CHUNK):
        _progress_refresh(ids[start : start + REFRESH_CHUNK])


def _progress_refresh(recommendation_ids: list[int]) -> None:
    recs = tallies.recommendations_state(recommendation_ids)
    lines = list(
        FollowUpLine.objects.filter(recommendation_id__in=list(recs)).order_by().values(
            "id", "recommendation_id", "actor_id", "status", "addressed", "added_by_id",
            "counted_status",
        )
    )  # fmt: skip
    statuses: dict[int, list[str]] = {pk: [] for pk in recs}
    for line in lines:
        if tallies.is_active(line):
            statuses[line["recommendation_id"]].append(line["status"])
    existing = {
        p.recommendation_id: p
        for p in RecommendationProgress.objects.filter(recommendation_id__in=list(recs))
    }
    new, before = [], {}
    for rec_id, rec_statuses in statuses.items():
        status, counts = roll_up(rec_statuses), count_by_status(rec_statuses)
        progress = existing.get(rec_id)
        if progress is None:
            progress = RecommendationProgress(recommendation_id=rec_id)
            new.append(progress)
        else:
            before[rec_id] = _progress_values(progress)
        progress.status, progress.line_counts = status, counts
    rows = [*existing.values(), *new]
    tallies.recount(recs, lines, rows)
    changed = [p for p in existing.values() if _progress_values(p) != before[p.recommendation_id]]
    RecommendationProgress.objects.bulk_create(new)
    RecommendationProgress.objects.bulk_update(changed, PROGRESS_FIELDS)


def _progress_values(progress) -> tuple:
    return tuple(getattr(progress, field) for field in PROGRESS_FIELDS)


@transaction.atomic
def figures_recount() -> None:
    """Count every dashboard figure afresh from the rows, in a few set-based statements
    whatever the size: after rows were written outside the services (benchmarks/scale.py,
    a bulk SQL load) or to repair drift (`manage.py recount_figures`). Roll-ups are taken
    as stored. Run it while nobody records (it does not wait for writers half-way)."""
    main = Q(recommendation__withdrawn_at__isnull=True, recommendation__restates__isnull=True)
    counts = main & ACTIVE_LINE
    lines = FollowUpLine.objects.order_by()
    lines.filter(counts).exclude(counted_status=F("status")).update(counted_status=F("status"))
    lines.exclude(counts).exclude(counted_status="").update(counted_status="")
    progress = RecommendationProgress.objects.order_by()
    theme = Recommendation.objects.filter(pk=OuterRef("recommendation_id")).values("theme_id")
    progress.filter(main).update(counted_status=F("status"), counted_theme_id=Subquery(theme))
    groups = {counted: [] for _ids, counted in tallies.GROUP_FIGURES.values()}
    progress.exclude(main).update(counted_status="", counted_theme_id=None, **groups)
    # Each main recommendation's agenda points, GCM objectives and SDG targets: few
    # distinct sets of each, so one UPDATE per chunk of each set.
    held: dict[str, dict[int, list[int]]] = {counted: {} for counted in groups}
    for rec_id, group_id, figure in tallies.group_links(main=True):
        held[tallies.GROUP_FIGURES[figure][1]].setdefault(rec_id, []).append(group_id)
    main_ids = list(progress.filter(main).values_list("recommendation_id", flat=True))
    for counted, by_rec in held.items():
        by_set: dict[tuple, list[int]] = {}
        for rec_id in main_ids:
            by_set.setdefault(tuple(sorted(by_rec.get(rec_id, ()))), []).append(rec_id)
        for ids, rec_ids in by_set.items():
            for start in range(0, len(rec_ids), REFRESH_CHUNK):
                chunk = rec_ids[start : start + REFRESH_CHUNK]
                progress.filter(pk__in=chunk).update(**{counted: list(ids)})
    Tally.objects.all().delete()
    Tally.objects.bulk_create(
        Tally(figure=figure, key=key, status=status, n=n)
        for (figure, key, status), n in tallies.expected().items()
    )


def _refreshed_ids(recommendations) -> set[int]:
    """The recommendations whose progress is kept: main ones, and any that had progress
    (a withdrawn or restated one leaves the figures)."""
    main = set(
        recommendations.filter(withdrawn_at=None, restates=None).values_list("pk", flat=True)
    )
    kept = RecommendationProgress.objects.filter(recommendation__in=recommendations)
    return main | set(kept.values_list("recommendation_id", flat=True))


@transaction.atomic
def lines_sync(recommendation_ids=None) -> int:
    """Give every addressed actor of every main recommendation a line; returns lines created.

    Lines are never deleted: a line whose actor is no longer addressed is marked so, and
    marked again if the actor comes back. Restatements and withdrawn entries get no new
    lines. With recommendation_ids, only those recommendations are looked at.
    """
    recs = Recommendation.objects.main()
    lines = FollowUpLine.objects.all()
    addressees = Addressee.objects.filter(
        recommendation__restates__isnull=True, recommendation__withdrawn_at__isnull=True
    )
    if recommendation_ids is not None:
        recs = recs.filter(pk__in=recommendation_ids)
        lines = lines.filter(recommendation_id__in=recommendation_ids)
        addressees = addressees.filter(recommendation_id__in=recommendation_ids)
    wanted = set(addressees.values_list("recommendation_id", "actor_id"))
    existing = {
        (r, a): (pk, addressed)
        for pk, r, a, addressed in lines.order_by().values_list(
            "id", "recommendation_id", "actor_id", "addressed"
        )
    }

    missing = wanted - set(existing)
    # The report addressed these actors on the day of the hearings.
    followed_since = (
        Report.objects.order_by("pk").values_list("hearing_date", flat=True).first()
        or HEARINGS_DATE
    )
    FollowUpLine.objects.bulk_create(
        FollowUpLine(recommendation_id=r, actor_id=a, addressed=True, followed_since=followed_since)
        for r, a in missing
    )
    readdressed = [
        pk for key, (pk, addressed) in existing.items() if key in wanted and not addressed
    ]
    dropped = [pk for key, (pk, addressed) in existing.items() if key not in wanted and addressed]
    touched = {r for r, _a in missing}
    for ids, flag in ((readdressed, True), (dropped, False)):
        if ids:
            touched |= set(
                FollowUpLine.objects.filter(pk__in=ids).values_list("recommendation_id", flat=True)
            )
            today = timezone.localdate()
            for line in FollowUpLine.objects.filter(pk__in=ids):
                line.addressed = flag
                # Dropped: reports as of a date before today keep the line, later ones do
                # not (tracker.reports.asof). Addressed again: it counts on every date; the
                # gap is kept in the audit log only.
                line.dropped_on = None if flag else today
                line.save(update_fields=["addressed", "dropped_on"])  # audited, one by one
    # Theme, agenda points, withdrawal or restating may have changed too: every
    # recommendation looked at is refreshed (figures included), not only those touched.
    scope = Recommendation.objects.all()
    if recommendation_ids is not None:
        scope = scope.filter(pk__in=recommendation_ids)
    progress_refresh(touched | _refreshed_ids(scope))
    return len(missing)


def _newest_first(line):
    return line.updates.select_related("recorded_by").order_by("-id")


def status_update_record(
    *,
    line_id: int,
    user,
    status: str,
    note: str,
    effective_date: datetime.date,
    evidence_links: list[str],
    seen_version: int,
    corrects: StatusUpdate | None = None,
    refresh_progress: bool = True,
    evidence_files: list[CheckedFile] = (),
    publish: bool = False,
) -> StatusUpdate:
    """Append a status update to a line, with its evidence files (checked by
    tracker.evidence.uploads), and bring the line's current status up to date.

    Raises PermissionDenied if the user may not record on the line, and StaleLine if
    anyone recorded on it since the form was opened (its version is not `seen_version`).
    A caller recording many updates in one transaction may pass refresh_progress=False
    and call progress_refresh once for all their recommendations before committing.
    The files' bytes are stored before the transaction and deleted again if it fails:
    the update and its files are recorded together or not at all. `publish` publishes the
    note and its evidence (tracker.publication) in the same transaction.
    """
    stored = evidence.files_store(list(evidence_files))
    try:
        with transaction.atomic():
            update = _status_update_insert(
                line_id=line_id, user=user, status=status, note=note,
                effective_date=effective_date, evidence_links=evidence_links,
                seen_version=seen_version, corrects=corrects,
                refresh_progress=refresh_progress,
            )  # fmt: skip
            evidence.files_attach(update, stored)
            if publish:
                publication.note_publish(update=update, user=user, recording=True)
    except BaseException:
        evidence.files_discard(stored)
        raise
    return update


def _status_update_insert(
    *, line_id, user, status, note, effective_date, evidence_links, seen_version, corrects,
    refresh_progress,
) -> StatusUpdate:  # fmt: skip
    line = FollowUpLine.objects.select_for_update().get(pk=line_id)
    if not can_record_on(user, line):
        raise PermissionDenied
    if line.update_count != seen_version:
        newer = max(line.update_count - seen_version, 1)
        raise StaleLine(list(_newest_first(line)[:newer]))
    if corrects is not None and corrects.line_id != line.pk:
        raise ValueError("a correction must name an update of the same line")
    if not all(is_evidence_url(url) for url in evidence_links):
        raise ValueError("evidence links must be http(s) URLs")
    # The forms and the import refuse such text with a message; this guards other callers.
    for text in (note, *evidence_links):
        validate_safe_text(text)
    update = StatusUpdate.objects.create(
        line=line,
        status=status,
        note=note,
        effective_date=effective_date,
        evidence_links=evidence_links,
        recorded_by=user,
        recorded_at=timezone.now(),
        corrects=corrects,
    )
    current = line.updates.order_by("-effective_date", "-recorded_at", "-id").first()
    line.status = current.status
    line.status_since = current.effective_date
    line.current_update = current
    line.update_count += 1
    line.last_recorded_at = update.recorded_at
    line.save(
        update_fields=[
            "status", "status_since", "current_update", "update_count", "last_recorded_at",
        ]
    )  # fmt: skip
    if refresh_progress:
        progress_refresh([line.recommendation_id])
    return update


@transaction.atomic
def line_add(
    *,
    recommendation: Recommendation,
    actor: Actor,
    user,
    target_date=None,
    followed_since: datetime.date | None = None,
):
    """A coordinator adds a line, e.g. one Member State on a recommendation to Governments.

    The line counts in reports from `followed_since` (today by default; the form takes an
    earlier date, not before the hearings)."""
    require_coordinator(user)
    if recommendation.restates_id or recommendation.withdrawn_at:
        raise ValueError("lines belong to current main recommendations only")
    line = FollowUpLine.objects.create(
        recommendation=recommendation,
        actor=actor,
        addressed=recommendation.addressees.filter(pk=actor.pk).exists(),
        added_by=user,
        target_date=target_date,
        followed_since=followed_since or timezone.localdate(),
    )
    progress_refresh([recommendation.pk])
    return line


@transaction.atomic
def line_set_target_date(*, line: FollowUpLine, user, target_date) -> None:
    require_coordinator(user)
    if line.target_date != target_date:
        line.target_date = target_date
        line.save(update_fields=["target_date"])
