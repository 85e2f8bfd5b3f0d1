"""The progress report as a Word document (python-docx, imported when a report is written):
cover, summary tables, one section per group, the annex; page numbers as Word fields."""

from django.utils.translation import gettext as _

from tracker.models import Status

from .document import ProgressReport, RecommendationEntry, date_text, generated_text
from .options import ExportOptions


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
        "date": date_text(options.as_of)
    }
    document.core_properties.author = options.generated_by

    header = section.header.paragraphs[0]
    header.text = _("Follow-up of the 2013 hearings · progress as of %(date)s") % {
        "date": date_text(options.as_of)
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
