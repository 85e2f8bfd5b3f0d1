"""Real office software for the export tests: LibreOffice headless converts a Word document
or a workbook to PDF as an office would print it, and poppler's pdftotext reads it back one
page at a time.

Suites that run LibreOffice are marked `office` and run on PostgreSQL only (MARKS): each
conversion takes seconds, and what it checks is the layout of a file whose content the
other tests already check on both databases."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

MARKS = [
    pytest.mark.office,
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="the result does not depend on the database; CI runs it on PostgreSQL",
    ),
]
CONVERT_TIMEOUT = 180


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603


def to_pdf(profile: str, *paths: Path) -> list[Path]:
    """Convert documents to PDF with LibreOffice headless, in one run; the PDFs' paths."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed: run `make test`, which installs it.")
    outdir = paths[0].parent / "pdf"
    subprocess.run(  # noqa: S603 - our own files, no shell
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--nologo", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)],
        capture_output=True, check=True, timeout=CONVERT_TIMEOUT,
    )  # fmt: skip
    pdfs = [outdir / (path.stem + ".pdf") for path in paths]
    missing = [pdf.name for pdf in pdfs if not pdf.exists()]
    assert not missing, f"LibreOffice wrote no {missing}"
    return pdfs


def page_count(pdf: Path) -> int:
    info = _run("pdfinfo", str(pdf))
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def page_size(pdf: Path, page: int) -> tuple[float, float]:
    """(width, height) of a page in points."""
    info = _run("pdfinfo", "-f", str(page), "-l", str(page), str(pdf))
    line = next(line for line in info.splitlines() if line.startswith(f"Page    {page} size:"))
    width, _x, height = line.split(":", 1)[1].split()[:3]
    return float(width), float(height)


def pages(pdf: Path, layout: bool = False) -> list[str]:
    """The text of each page (pdftotext -f N -l N), first page first."""
    options = ["-layout"] if layout else []
    return [
        _run("pdftotext", *options, "-f", str(n), "-l", str(n), str(pdf), "-")
        for n in range(1, page_count(pdf) + 1)
    ]


def content_lines(page: str) -> list[str]:
    """A page's non-empty lines, without the running header and the page number."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return [
        line
        for line in lines
        if not line.startswith(("Page ", "Follow-up of the 2013 hearings", "Hearings follow-up"))
    ]
