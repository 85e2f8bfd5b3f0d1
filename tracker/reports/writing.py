"""Writing an export in any format: the one entry point of the page, the command and
(later) background jobs. CSV comes from tracker.reports.tables, Excel from
tracker.reports.workbook, PDF and Word
from the progress report (document, then pdf or word)."""

from collections.abc import Callable

from . import document, pdf, tables, word, workbook
from .options import ExportOptions


def write_docx(options: ExportOptions, out) -> None:
    word.write_docx(document.build(options), out)


def write_pdf(options: ExportOptions, out) -> None:
    pdf.write_pdf(document.build(options), out)


WRITERS: dict[str, Callable[[ExportOptions, object], None]] = {
    "xlsx": workbook.write_xlsx,
    "csv": tables.write_csv,
    "docx": write_docx,
    "pdf": write_pdf,
}


def write(options: ExportOptions, out) -> None:
    """Write the export to a binary file (CSV as UTF-8 with a BOM)."""
    WRITERS[options.format](options, out)
