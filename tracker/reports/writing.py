"""Writing an export in any format: the one entry point of the page, the command and the
background jobs (tracker.reports.background). CSV comes from tracker.reports.tables,
Excel from tracker.reports.workbook, PDF and Word from the progress report (document, then
pdf or word).
`progress(step, percent)`, when given, hears each step of a PDF or Word report.
Every format is written in the export's language (ExportOptions.language)."""

from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _

from . import document, pdf, tables, word, workbook
from .options import ExportOptions

Progress = Callable[[str, float], None]


def no_progress(step: str, percent: float) -> None:
    """Where nobody is watching."""


def write_docx(options: ExportOptions, out, progress: Progress = no_progress) -> None:
    progress(_("Reading the follow-up"), 5)
    report = document.build(options)
    progress(_("Writing the Word document"), 40)
    word.write_docx(report, out)


def write_pdf(options: ExportOptions, out, progress: Progress = no_progress) -> None:
    progress(_("Reading the follow-up"), 5)
    report = document.build(options)
    progress(_("Laying out the pages"), 30)
    pdf.write_pdf(report, out, progress=progress)


WRITERS: dict[str, Callable[..., None]] = {
    "docx": write_docx,
    "pdf": write_pdf,
}


def write(options: ExportOptions, out, progress: Progress = no_progress) -> None:
    """Write the export to a binary file (CSV as UTF-8 with a BOM), in its language."""
    with translation.override(options.language):
        if options.format == "csv":
            tables.write_csv(options, out)
        elif options.format == "xlsx":
            workbook.write_xlsx(options, out)
        else:
            WRITERS[options.format](options, out, progress)
