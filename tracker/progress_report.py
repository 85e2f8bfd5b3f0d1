"""The progress report (PDF and DOCX): what it holds, and how each format lays it out.

`build` reads everything in a fixed number of queries: the selected recommendations with
their catalogue data as it is now, their lines' statuses as of the date (tracker.asof)
and, if asked, the history up to that date. The PDF is rendered by WeasyPrint from
templates/tracker/report_pdf.html and static/css/report.css; the DOCX by python-docx.
Both write text only, so markup in notes is shown as text.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hearings.models import Actor, AgendaPoint, Recommendation, Report, Theme

from . import charts
from .asof import active_lines_as_of, history_as_of
from .exports import ExportOptions, summary_counts
from .forms import HEARINGS_DATE
from .models import FINAL_STATUSES, STATUS_DESCRIPTIONS, Status
from .rollup import roll_up

# The same colours as the dashboard's charts (static/css/app.css, .seg--*), given as SVG
# fill attributes in the PDF.
STATUS_COLOURS = {
    Status.NO_INFORMATION: "#c4cbd3",
    Status.NOT_STARTED: "#e8a33d",
    Status.PLANNED: "#9b6cc9",
    Status.IN_PROGRESS: "#3f87c6",
    Status.PARTIALLY_IMPLEMENTED: "#2aa198",
    Status.IMPLEMENTED: "#2f8f4e",
    Status.WILL_NOT_BE_IMPLEMENTED: "#c9383e",
    Status.NO_LONGER_RELEVANT: "#7a7a7a",
}


def method_paragraphs() -> list[str]:
    """How the report is made, for the annex of both formats."""
    return [
        _(
            "Each recommendation is followed up per addressed actor, one follow-up line each. "
            "A line's status as of the report date is its latest status update whose "
            "effective date is on or before that date (updates are ordered by effective "
            "date, then time recorded); a line with no such update has no information. "
            "Lines created after the date are left out."
        ),
        _(
            "Statuses are rebuilt from the history of status updates; catalogue data "
            "(titles, texts, themes, agenda points, addressees) is shown as it is now."
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
    by_agenda_point: list
    actor_rows: list = field(default_factory=list)  # by actor: [(actor, [(status, n)])]

    @property
    def title(self) -> str:
        return self.report.title if self.report else _("Summary of the hearings")

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
            "agenda_points",
            "addressee_links__actor",
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
    history: dict[int, list] = {}
    if options.history:
        updates = history_as_of(options.lines(), options.as_of).select_related("recorded_by")
        for update in updates.order_by("effective_date", "recorded_at", "id"):
            history.setdefault(update.line_id, []).append(update)
    lines_of: dict[int, list[LineEntry]] = {}
    line_totals = dict.fromkeys(Status, 0)
    for line in lines:
        status = Status(line.asof_status)
        overdue = bool(
            line.target_date and line.target_date < options.as_of and status not in FINAL_STATUSES
        )
        entry = LineEntry(line, status, overdue, history.get(line.pk, []))
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
    by_theme, by_point = summary_counts(options, overall)
    totals = dict.fromkeys(Status, 0)
    for e in entries:
        totals[e.status] += 1
    report = ProgressReport(
        options=options,
        report=Report.objects.order_by("pk").first(),
        groups=_groups(options.grouping, entries),
        recommendation_count=len(entries),
        line_count=len(lines),
        recommendation_totals=list(totals.items()),
        line_totals=list(line_totals.items()),
        by_theme=by_theme,
        by_agenda_point=by_point,
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


def _groups(grouping: str, entries: list[RecommendationEntry]) -> list[Group]:
    if grouping == "agenda":
        groups = {p.pk: Group(_("Agenda point %(n)s: %(title)s") % {"n": p.number,
                                                                     "title": p.title}, [])
                  for p in AgendaPoint.objects.order_by("number")}  # fmt: skip
        none = Group(_("Not tied to an agenda point"), [])
        for entry in entries:
            points = entry.rec.agenda_points.all()
            for point in points:
                groups[point.pk].entries.append(entry)
            if not points:
                none.entries.append(entry)
        found = [*groups.values(), none]
    elif grouping == "actor":
        by_actor: dict[int, Group] = {}
        none = Group(_("Recommendations without a follow-up line on this date"), [])
        for entry in entries:
            for line_entry in entry.lines:
                actor = line_entry.line.actor
                group = by_actor.setdefault(actor.pk, Group(actor.name, [], actor))
                group.entries.append(RecommendationEntry(entry.rec, entry.status, [line_entry]))
            if not entry.lines:
                none.entries.append(entry)
        found = [*sorted(by_actor.values(), key=lambda g: g.title.casefold()), none]
    else:
        groups = {
            t.pk: Group(_("Theme %(n)s: %(title)s") % {"n": t.number, "title": t.title}, [])
            for t in Theme.objects.order_by("number")
        }
        for entry in entries:
            groups[entry.rec.theme_id].entries.append(entry)
        found = list(groups.values())
    return [g for g in found if g.entries]


def _date(value) -> str:
    return formats.date_format(value, "j F Y")


def _generated(report: ProgressReport) -> str:
    when = formats.date_format(timezone.localtime(report.options.generated_at), "j F Y, H:i T")
    if report.options.generated_by:
        return _("Generated on %(when)s by %(who)s") % {
            "when": when,
            "who": report.options.generated_by,
        }
    return _("Generated on %(when)s") % {"when": when}


# ---------------------------------------------------------------- PDF


def _bars(rows):
    bars = charts.stacked_bars([(group, {s.value: n for s, n in counts.items()})
                                for group, counts in rows])  # fmt: skip
    for bar in bars:
        for segment in bar["segments"]:
            segment["colour"] = STATUS_COLOURS[segment["status"]]
    return bars


def render_html(report: ProgressReport) -> str:
    return render_to_string(
        "tracker/report_pdf.html",
        {
            "r": report,
            "options": report.options,
            "as_of": report.options.as_of,
            "hearing_date": report.hearing_date,
            "generated": _generated(report),
            "theme_chart": _bars(report.by_theme),
            "agenda_chart": _bars(report.by_agenda_point),
            "colours": STATUS_COLOURS,
        },
    )


def _static_only_fetcher():
    """A WeasyPrint URL fetcher for the report's own static files only: no network."""
    from weasyprint.urls import URLFetcher

    static_root = Path(settings.BASE_DIR, "static").resolve().as_uri()

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(("data:", static_root + "/")):
                raise ValueError(f"not fetched while rendering a report: {url}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher()


def write_pdf(report: ProgressReport, out) -> None:
    """Render the report with WeasyPrint (imported here: the app runs without it loaded)."""
    from weasyprint import CSS, HTML

    fetcher = _static_only_fetcher()
    stylesheet = CSS(filename=finders.find("css/report.css"), url_fetcher=fetcher)
    HTML(
        string=render_html(report),
        base_url=Path(settings.BASE_DIR, "static").resolve().as_uri() + "/",
        url_fetcher=fetcher,
    ).write_pdf(out, stylesheets=[stylesheet])


# ---------------------------------------------------------------- DOCX


def _field(run, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in a run: Word computes it when it lays out pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    cant_split = OxmlElement("w:cantSplit")
    properties.append(cant_split)


def _table(document, headings, rows, widths=None):
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    _repeat_header(table.rows[0])
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(heading)).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    return table


def _status_matrix(document, label, rows):
    statuses = list(Status)
    body = []
    for group, counts in rows:
        body.append([str(group), *(counts.get(s, 0) for s in statuses), sum(counts.values())])
    _table(document, [label, *(s.label for s in statuses), _("Total")], body)


def write_docx(report: ProgressReport, out) -> None:
    """The report as a Word document: cover, summary, grouped recommendations, annex."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    options = report.options
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2)
    document.styles["Normal"].font.name = "Liberation Sans"
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = _("Progress report as of %(date)s") % {
        "date": _date(options.as_of)
    }
    document.core_properties.author = options.generated_by

    header = section.header.paragraphs[0]
    header.text = _("Follow-up of the 2013 hearings · progress as of %(date)s") % {
        "date": _date(options.as_of)
    }
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(_("Page") + " ")
    _field(footer.add_run(), "PAGE")
    footer.add_run(" " + _("of") + " ")
    _field(footer.add_run(), "NUMPAGES")

    # Cover
    document.add_paragraph(_("Progress report"), style="Subtitle")
    document.add_paragraph(report.title, style="Title")
    document.add_paragraph(
        _("Informal interactive hearings of the General Assembly, %(date)s")
        % {"date": _date(report.hearing_date)}
    )
    document.add_heading(_("Progress as of %(date)s") % {"date": _date(options.as_of)}, level=1)
    if options.filters:
        document.add_paragraph(_("Recommendations selected by:"))
        for label, value in options.filters:
            document.add_paragraph(f"{label}: {value}", style="List Bullet")
    else:
        document.add_paragraph(_("Every main recommendation of the report."))
    document.add_paragraph(
        _("%(recs)s recommendations, %(lines)s follow-up lines; grouped by %(grouping)s.")
        % {
            "recs": report.recommendation_count,
            "lines": report.line_count,
            "grouping": _grouping_label(options.grouping),
        }
    )
    document.add_paragraph(_generated(report))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # Summary
    document.add_heading(_("Summary"), level=1)
    _table(
        document,
        [_("Status"), _("Recommendations"), _("Follow-up lines")],
        [
            (status.label, n, dict(report.line_totals)[status])
            for status, n in report.recommendation_totals
        ]
        + [(_("Total"), report.recommendation_count, report.line_count)],
    )
    document.add_heading(_("Recommendations by theme and status"), level=2)
    _status_matrix(document, _("Theme"), report.by_theme)
    document.add_heading(_("Recommendations by action agenda point and status"), level=2)
    _status_matrix(document, _("Agenda point"), report.by_agenda_point)
    if report.actor_rows:
        document.add_heading(_("Follow-up lines by actor and status"), level=2)
        _status_matrix(document, _("Actor"), [(a, dict(c)) for a, c in report.actor_rows])

    # Recommendations
    for group in report.groups:
        document.add_section(WD_SECTION.NEW_PAGE)
        document.add_heading(group.title, level=1)
        for entry in group.entries:
            _docx_recommendation(document, entry, options)

    # Annex
    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_heading(_("Annex: status definitions and method"), level=1)
    _table(
        document,
        [_("Status"), _("Meaning")],
        [(s.label, d) for s, d in report.status_definitions()],
        widths=[4.5, 12.5],
    )
    document.add_heading(_("Method"), level=2)
    for text in report.method():
        document.add_paragraph(text)
    document.save(out)


def _grouping_label(grouping: str) -> str:
    return {"theme": _("theme"), "agenda": _("action agenda point"), "actor": _("actor")}[grouping]


def _docx_recommendation(document, entry: RecommendationEntry, options: ExportOptions) -> None:
    rec = entry.rec
    document.add_heading(f"{rec.code} · {rec.title}", level=2)
    quote = document.add_paragraph(style="Quote")
    quote.add_run(f"“{rec.text}”")
    quote.add_run(" (" + _("paragraph %(n)s") % {"n": rec.paragraph.number} + ")").italic = False
    facts = [
        (_("Overall status as of the date"), entry.status.label),
        (_("Addressed to"), ", ".join(link.actor.name for link in rec.addressee_links.all())),
        (_("Theme"), rec.theme.title),
    ]
    points = ", ".join(str(p) for p in rec.agenda_points.all())
    if points:
        facts.append((_("Agenda points"), points))
    restatements = ", ".join(r.code for r in rec.restatements.all())
    if restatements:
        facts.append((_("Restated in"), restatements))
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(str(value))
    if not entry.lines:
        document.add_paragraph(_("No follow-up line on this date."))
        return
    rows = []
    for line_entry in entry.lines:
        line = line_entry.line
        status = line_entry.status.label
        if line.asof_since:
            status = f"{status} ({line.asof_since:%Y-%m-%d})"
        if line_entry.overdue:
            status += " · " + _("overdue")
        rows.append(
            (line.actor.name, status, line.asof_note or "—", "\n".join(line_entry.links) or "—")
        )
    _table(
        document,
        [_("Actor"), _("Status as of the date"), _("Latest note"), _("Evidence")],
        rows,
        widths=[3.5, 3.5, 6.5, 3.5],
    )
    if options.history:
        for line_entry in entry.lines:
            if not line_entry.history:
                continue
            document.add_paragraph(
                _("History for %(actor)s") % {"actor": line_entry.line.actor.name},
                style="Heading 4",
            )
            _table(
                document,
                [_("Effective"), _("Status"), _("Note"), _("Recorded by")],
                [
                    (
                        f"{u.effective_date:%Y-%m-%d}",
                        u.get_status_display(),
                        u.note,
                        u.recorded_by.get_full_name() or u.recorded_by.get_username(),
                    )
                    for u in line_entry.history
                ],
                widths=[2.5, 3.5, 8, 3],
            )
    document.add_paragraph()
