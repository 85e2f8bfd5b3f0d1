"""The progress report (PDF and Word): what it holds, read once for both formats.

`build` reads everything in a fixed number of queries: the selected recommendations with
their catalogue data as it is now, their lines' statuses as of the date
(tracker.reports.asof) and, if asked, the history up to that date. tracker.reports.pdf and
tracker.reports.word lay it out; both write text only, so markup in notes is shown as text.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hearings.models import Actor, Recommendation, Report, Theme
from hearings.text import printable
from tracker.evidence.selectors import files_by_update
from tracker.inputs import HEARINGS_DATE
from tracker.models import FINAL_STATUSES, STATUS_DESCRIPTIONS, Status
from tracker.rollup import roll_up

from .asof import AS_OF_RULE, active_lines_as_of, history_as_of
from .groups import KINDS
from .options import ExportOptions
from .rows import summary_counts


def method_paragraphs() -> list[str]:
    """How the report is made, for the annex of both formats."""
    return [
        _("Each recommendation is followed up per addressed actor, one follow-up line each."),
        str(AS_OF_RULE),
        _(
            "Statuses are rebuilt from the history of status updates; catalogue data "
            "(titles, texts, themes, agenda points, Global Compact objectives, SDG targets, "
            "addressees) is shown as it is now."
        ),
        _(
            "A recommendation's overall status is rolled up from its lines: lines no longer "
            "relevant are ignored; it is implemented only if every other line is, and will "
            "not be implemented only if every other line will not; otherwise it takes the "
            "most advanced status among the lines, at most partially implemented."
        ),
        _(
            "Only main recommendations are reported; restatements of a recommendation in the "
            "key findings, opening or conclusion follow their main recommendation and are "
            "listed with it. Filters select recommendations as the recommendations list does "
            "now (the status filter uses the current overall status)."
        ),
    ]


@dataclass
class LineEntry:
    line: object  # FollowUpLine annotated by tracker.asof.lines_as_of
    status: Status
    overdue: bool
    history: list = field(default_factory=list)
    files: list = field(default_factory=list)  # the update's evidence files, not withdrawn

    @property
    def links(self) -> list[str]:
        return list(self.line.asof_links or [])


@dataclass
class RecommendationEntry:
    rec: Recommendation
    status: Status
    lines: list[LineEntry]


@dataclass
class Group:
    title: str
    entries: list[RecommendationEntry]
    actor: Actor | None = None


@dataclass
class ProgressReport:
    options: ExportOptions
    report: Report | None
    groups: list[Group]
    recommendation_count: int
    line_count: int
    recommendation_totals: list[tuple[Status, int]]
    line_totals: list[tuple[Status, int]]
    by_theme: list
    # By agenda point, Global Compact objective and SDG target: {kind: [(group, counts)]},
    # each ending with the kind's NoGroup (tracker.reports.groups).
    by_group: dict
    actor_rows: list = field(default_factory=list)  # by actor: [(actor, [(status, n)])]

    @property
    def by_agenda_point(self) -> list:
        return self.by_group["agenda"]

    def group_tables(self):
        """(kind, rows) of each kind of group, in the order the summary shows them."""
        return [(kind, self.by_group[key]) for key, kind in KINDS.items()]

    @property
    def title(self) -> str:
        return self.report.local_title if self.report else _("Summary of the hearings")

    @property
    def hearing_date(self) -> datetime.date:
        return self.report.hearing_date if self.report else HEARINGS_DATE

    def status_definitions(self):
        return [(status, STATUS_DESCRIPTIONS[status]) for status in Status]

    def method(self):
        return method_paragraphs()


def _recommendations(options: ExportOptions) -> list[Recommendation]:
    return list(
        options.recommendations.order_by("position", "code")
        .select_related("paragraph__chapter", "theme")
        .prefetch_related(
            *(kind.relation for kind in KINDS.values()),
            "addressee_links__actor",
            *(["mentioned_actors"] if options.mentioned_actor_ids else []),
            Prefetch(
                "restatements",
                queryset=Recommendation.objects.current().order_by("position"),
            ),
        )
    )


def build(options: ExportOptions) -> ProgressReport:
    """Everything the report shows, in a fixed number of queries."""
    recs = _recommendations(options)
    lines = list(
        active_lines_as_of(options.lines(), options.as_of)
        .select_related("actor")
        .order_by("recommendation_id", "actor__name", "pk")
    )
    # Evidence files of the updates shown (the latest as of the date, or the history): one query.
    shown = active_lines_as_of(options.lines(), options.as_of).values("asof_update_id")
    if options.history:
        shown = history_as_of(options.lines(), options.as_of).values("pk")
    files = files_by_update(shown)
    history: dict[int, list] = {}
    if options.history:
        updates = history_as_of(options.lines(), options.as_of).select_related("recorded_by")
        for update in updates.order_by("effective_date", "recorded_at", "id"):
            update.files = files.get(update.pk, [])
            update.note = printable(update.note)
            update.evidence_links = [printable(url) for url in update.evidence_links or []]
            history.setdefault(update.line_id, []).append(update)
    lines_of: dict[int, list[LineEntry]] = {}
    line_totals = dict.fromkeys(Status, 0)
    for line in lines:
        # Text stored before hearings.text's rule must not break a format (Word refuses it).
        line.asof_note = printable(line.asof_note or "")
        line.asof_links = [printable(url) for url in line.asof_links or []]
        status = Status(line.asof_status)
        overdue = bool(
            line.target_date and line.target_date < options.as_of and status not in FINAL_STATUSES
        )
        entry = LineEntry(
            line, status, overdue, history.get(line.pk, []), files.get(line.asof_update_id, [])
        )
        lines_of.setdefault(line.recommendation_id, []).append(entry)
        line_totals[status] += 1
    entries = [
        RecommendationEntry(
            rec,
            roll_up(e.status for e in lines_of.get(rec.pk, [])),
            lines_of.get(rec.pk, []),
        )
        for rec in recs
    ]
    overall = {e.rec.pk: e.status for e in entries}
    by_theme, by_group = summary_counts(options, overall)
    totals = dict.fromkeys(Status, 0)
    for e in entries:
        totals[e.status] += 1
    report = ProgressReport(
        options=options,
        report=Report.objects.order_by("pk").first(),
        groups=_groups(options.grouping, entries, options.mentioned_actor_ids),
        recommendation_count=len(entries),
        line_count=len(lines),
        recommendation_totals=list(totals.items()),
        line_totals=list(line_totals.items()),
        by_theme=by_theme,
        by_group=by_group,
    )
    if options.grouping == "actor":
        report.actor_rows = [
            (group.actor, _count([e.lines[0].status for e in group.entries]))
            for group in report.groups
            if group.actor
        ]
    return report


def _count(statuses) -> list[tuple[Status, int]]:
    counts = dict.fromkeys(Status, 0)
    for status in statuses:
        counts[status] += 1
    return list(counts.items())


def _groups(grouping: str, entries: list[RecommendationEntry], mentioned=frozenset()):
    if grouping in KINDS:
        kind = KINDS[grouping]
        groups = {g.pk: Group(kind.section_title(g), []) for g in kind.groups()}
        none = Group(str(kind.none), [])
        for entry in entries:
            found_in = kind.of(entry.rec)
            for group in found_in:
                groups[group.pk].entries.append(entry)
            if not found_in:
                none.entries.append(entry)
        found = [*groups.values(), none]
    elif grouping == "actor":
        by_actor: dict[int, Group] = {}
        none = Group(_("Recommendations without a follow-up line on this date"), [])
        only_mentioned = Group(_("Mentioned, not addressed"), [])
        for entry in entries:
            if mentioned and _only_mentions(entry, mentioned):
                only_mentioned.entries.append(entry)
                continue
            for line_entry in entry.lines:
                actor = line_entry.line.actor
                group = by_actor.setdefault(actor.pk, Group(actor.local_name, [], actor))
                group.entries.append(RecommendationEntry(entry.rec, entry.status, [line_entry]))
            if not entry.lines:
                none.entries.append(entry)
        found = [*sorted(by_actor.values(), key=lambda g: g.title.casefold()), only_mentioned, none]
    else:
        groups = {
            t.pk: Group(_("Theme %(n)s: %(title)s") % {"n": t.number, "title": t.local_title}, [])
            for t in Theme.objects.order_by("number")
        }
        for entry in entries:
            groups[entry.rec.theme_id].entries.append(entry)
        found = list(groups.values())
    return [g for g in found if g.entries]


def _only_mentions(entry: RecommendationEntry, actor_ids) -> bool:
    """The recommendation mentions one of these actors and gives none of them a line."""
    if any(line_entry.line.actor_id in actor_ids for line_entry in entry.lines):
        return False
    return any(actor.pk in actor_ids for actor in entry.rec.mentioned_actors.all())


def date_text(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def generated_text(report: ProgressReport) -> str:
    when = formats.date_format(timezone.localtime(report.options.generated_at), "DATETIME_FORMAT")
    if report.options.generated_by:
        return _("Generated on %(when)s by %(who)s") % {
            "when": when,
            "who": printable(report.options.generated_by),
        }
    return _("Generated on %(when)s") % {"when": when}
