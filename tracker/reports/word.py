"""The progress report as a Word document (python-docx, imported when a report is written):
cover, summary tables, one section per group, the annex; page numbers as Word fields. In
the export's language, right to left in Arabic (word_language)."""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hearings.text import printable
from tracker.models import Status

from . import word_language
from . import word_layout as layout
from .document import ProgressReport, RecommendationEntry, date_text, generated_text
from .groups import KINDS
from .options import ExportOptions
from .rows import ALL_LINES, ALL_RECOMMENDATIONS, EACH_ONCE, column_totals


def _status_matrix(document, label, rows, totals, usable_cm):
    """A summary table: one row per group, a number column per status and a total; the
    `totals` rows [(label, {status: n})] close it, in bold."""
    statuses = list(Status)
    body = [
        [str(group), *(counts.get(s, 0) for s in statuses), sum(counts.values())]
        for group, counts in [*rows, *totals]
    ]
    headings = [label, *(s.label for s in statuses), _("Total")]
    layout.table(
        document,
        headings,
        body,
        layout.matrix_widths(headings, usable_cm),
        numbers_from=1,
        bold_rows=range(len(rows), len(body)),
    )


def _summary(document, report: ProgressReport) -> None:
    """The summary on landscape pages: totals, then recommendations by theme, by agenda
    point, by Global Compact objective, by SDG target and (grouped by actor) lines by
    actor, each x status."""
    from docx.enum.section import WD_SECTION

    usable = layout.page(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    document.add_heading(_("Summary"), level=1)
    layout.table(
        document,
        [_("Status"), _("Recommendations"), _("Follow-up lines")],
        [
            (status.label, n, dict(report.line_totals)[status])
            for status, n in report.recommendation_totals
        ]
        + [(_("Total"), report.recommendation_count, report.line_count)],
        [8, 4, 4],
        numbers_from=1,
        bold_rows=[len(report.recommendation_totals)],
    )
    document.add_heading(_("Recommendations by theme and status"), level=2)
    all_recs = column_totals(report.by_theme)
    _status_matrix(document, _("Theme"), report.by_theme, [(ALL_RECOMMENDATIONS, all_recs)], usable)
    for kind, rows in report.group_tables():
        document.add_heading(str(kind.heading), level=2)
        totals = [(kind.all_rows, column_totals(rows)), (EACH_ONCE, all_recs)]
        _status_matrix(document, str(kind.label), rows, totals, usable)
    if report.actor_rows:
        document.add_heading(_("Follow-up lines by actor and status"), level=2)
        rows = [(a, dict(c)) for a, c in report.actor_rows]
        _status_matrix(document, _("Actor"), rows, [(ALL_LINES, column_totals(rows))], usable)


def write_docx(report: ProgressReport, out) -> None:
    """The report as a Word document: cover, summary (landscape), grouped recommendations,
    annex."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    options = report.options
    document = Document()
    section = document.sections[0]
    layout.page(section, landscape=False)
    document.styles["Normal"].font.name = "Liberation Sans"
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = _("Progress report as of %(date)s") % {
        "date": date_text(options.as_of)
    }
    document.core_properties.author = printable(options.generated_by)

    header = section.header.paragraphs[0]
    header.text = _("Follow-up of the 2013 hearings · progress as of %(date)s") % {
        "date": date_text(options.as_of)
    }
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(_("Page") + " ")
    layout.field(footer.add_run(), "PAGE")
    footer.add_run(" " + _("of") + " ")
    layout.field(footer.add_run(), "NUMPAGES")

    # Cover, demo data first (ExportOptions.demo)
    if options.demo_notice:
        document.add_paragraph().add_run(options.demo_notice).bold = True
    document.add_paragraph(_("Progress report"), style="Subtitle")
    document.add_paragraph(report.title, style="Title")
    document.add_paragraph(
        _("Informal interactive hearings of the General Assembly, %(date)s")
        % {"date": date_text(report.hearing_date)}
    )
    document.add_heading(_("Progress as of %(date)s") % {"date": date_text(options.as_of)}, level=1)
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
    document.add_paragraph(generated_text(report))

    _summary(document, report)

    # Recommendations, on portrait pages again
    for group in report.groups:
        layout.page(document.add_section(WD_SECTION.NEW_PAGE), landscape=False)
        document.add_heading(group.title, level=1)
        for entry in group.entries:
            _docx_recommendation(document, entry, options)

    # Annex
    layout.page(document.add_section(WD_SECTION.NEW_PAGE), landscape=False)
    document.add_heading(_("Annex: status definitions and method"), level=1)
    layout.table(
        document,
        [_("Status"), _("Meaning")],
        [(s.label, d) for s, d in report.status_definitions()],
        [4.5, 12.5],
    )
    document.add_heading(_("Method"), level=2)
    for text in report.method():
        document.add_paragraph(text)
    word_language.apply(document, options.language)
    document.save(out)


def _file_text(evidence_file) -> str:
    """An evidence file as the report lists it: its name and size (the file is in the app)."""
    return f"{printable(evidence_file.original_name)} ({filesizeformat(evidence_file.size)})"


def _grouping_label(grouping: str) -> str:
    if grouping in KINDS:
        return str(KINDS[grouping].grouping)
    return {"theme": _("theme"), "actor": _("actor")}[grouping]


def _docx_recommendation(document, entry: RecommendationEntry, options: ExportOptions) -> None:
    rec = entry.rec
    document.add_heading(f"{rec.code} · {rec.local_title}", level=2)
    # The heading, quote and facts stay together, with the first row of the lines, on one
    # page where they fit: the facts are one paragraph (a chain of three paragraphs kept
    # with the next is one LibreOffice keeps; it breaks longer ones).
    quote = document.add_paragraph(style="Quote")
    quote.paragraph_format.keep_with_next = quote.paragraph_format.keep_together = True
    quote.add_run(f"“{rec.text}”")
    quote.add_run(" (" + _("paragraph %(n)s") % {"n": rec.paragraph.number} + ")").italic = False
    word_language.english(quote)  # the report's own words, left to right in every language
    separator = pgettext("list separator", ", ")
    facts = [
        (_("Overall status as of the date"), entry.status.label),
        (_("Addressed to"), separator.join(a.actor.local_name for a in rec.addressee_links.all())),
        (_("Theme"), rec.theme.local_title),
    ]
    points = separator.join(str(p) for p in rec.agenda_points.all())
    if points:
        facts.append((_("Agenda points"), points))
    for label, kind in ((_("Global Compact objectives"), KINDS["gcm"]),
                        (_("SDG targets"), KINDS["sdg"])):  # fmt: skip
        if fact := kind.fact(rec):
            facts.append((label, fact))
    restatements = ", ".join(r.code for r in rec.restatements.all())
    if restatements:
        facts.append((_("Restated in"), restatements))
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = paragraph.paragraph_format.keep_together = True
    for index, (label, value) in enumerate(facts):
        if index:
            paragraph.add_run().add_break()
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
        evidence = [*line_entry.links, *(_file_text(f) for f in line_entry.files)]
        note = line.asof_note or "—"
        rows.append((line.actor.local_name, status, note, "\n".join(evidence) or "—"))
    layout.table(
        document,
        [_("Actor"), _("Status as of the date"), _("Latest note"), _("Evidence")],
        rows,
        [3.5, 3.5, 6.5, 3.5],
    )
    if options.history:
        for line_entry in entry.lines:
            if not line_entry.history:
                continue
            document.add_paragraph(
                _("History for %(actor)s") % {"actor": line_entry.line.actor.local_name},
                style="Heading 4",
            )
            layout.table(
                document,
                [_("Effective"), _("Status"), _("Note"), _("Recorded by")],
                [
                    (
                        f"{u.effective_date:%Y-%m-%d}",
                        u.get_status_display(),
                        "\n".join([u.note, *(_file_text(f) for f in u.files)]),
                        printable(u.recorded_by.get_full_name() or u.recorded_by.get_username()),
                    )
                    for u in line_entry.history
                ],
                [2.5, 3.5, 8, 3],
            )
    document.add_paragraph()
