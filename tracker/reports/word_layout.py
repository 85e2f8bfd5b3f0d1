"""Page and table layout for the Word report (python-docx, imported when a report is
written): A4 sections portrait or landscape, tables with fixed column widths that Word and
LibreOffice both keep, header rows repeated, rows never split across pages.

A summary table has a wide label column and one number column per status, each as wide as
the longest word of its header at HEADER_PT, so no header breaks inside a word whatever the
language: the summary is on landscape pages, where eight statuses and a total fit beside a
readable label column."""

from math import ceil, floor

A4_LONG_CM, A4_SHORT_CM = 29.7, 21.0
MARGIN_CM = 2.0
HEADER_PT = 8
BODY_PT = 9
# Text widths are estimated, never measured: Liberation Sans (the report's font) has the
# widths of Arial, whose bold lowercase letters average 0.56 em and capitals 0.72 em; these
# err on the wide side. Cells have 0.19 cm of padding each side in Word and LibreOffice.
EM_LOWER, EM_UPPER = 0.62, 0.78
CELL_PADDING_CM = 0.4
MIN_NUMBER_CM = 1.5
MIN_LABEL_CM = 6.0


def page(section, *, landscape: bool) -> float:
    """Set an A4 section's orientation and margins; the width left for text, in cm."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    long, short = Cm(A4_LONG_CM), Cm(A4_SHORT_CM)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.left_margin = section.right_margin = Cm(MARGIN_CM)
    section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
    return (A4_LONG_CM if landscape else A4_SHORT_CM) - 2 * MARGIN_CM


def word_width_cm(text: str, pt: float = HEADER_PT) -> float:
    """The estimated width of the longest word of a bold text, in cm."""

    def width(word):
        ems = sum(EM_UPPER if c.isupper() else EM_LOWER for c in word)
        return ems * pt / 72 * 2.54

    return max((width(word) for word in str(text).split()), default=0.0)


def matrix_widths(headings, usable_cm: float) -> list[float]:
    """Column widths (cm) of a summary table: the label column takes what the number
    columns, each as wide as its header's longest word, leave."""
    numbers = [
        max(MIN_NUMBER_CM, ceil((word_width_cm(h) + CELL_PADDING_CM) * 10) / 10)
        for h in headings[1:]
    ]
    label = floor((usable_cm - sum(numbers)) * 10) / 10  # never wider than the page
    return [max(MIN_LABEL_CM, label), *numbers]


def field(run, instruction: str) -> None:
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


def _row_properties(row, *, header: bool) -> None:
    """A row is never split across pages; the header row repeats on each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)


def _write_cell(cell, value, *, pt, bold=False, right=False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(str(value))
    run.font.size = Pt(pt)
    run.bold = bold
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def table(document, headings, rows, widths, *, numbers_from=None, bold_rows=()):
    """A table with fixed column widths (cm); columns from `numbers_from` on are numbers,
    right-aligned; rows whose index is in `bold_rows` are totals."""
    from docx.shared import Cm

    result = document.add_table(rows=1, cols=len(headings))
    result.style = "Table Grid"
    result.autofit = False  # a fixed layout: the widths below hold
    numeric = range(numbers_from if numbers_from is not None else len(headings), len(headings))
    _row_properties(result.rows[0], header=True)
    for index, (cell, heading) in enumerate(zip(result.rows[0].cells, headings, strict=True)):
        _write_cell(cell, heading, pt=HEADER_PT, bold=True, right=index in numeric)
    for row_index, values in enumerate(rows):
        row = result.add_row()
        _row_properties(row, header=False)
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            bold = row_index in bold_rows
            _write_cell(cell, value, pt=BODY_PT, bold=bold, right=index in numeric)
    for column, width in zip(result.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    return result
