"""Parse the plain-text summary of the 2013 hearings into chapters, sections and paragraphs.

The text was extracted from a paginated document, so the parser does not trust layout:
page breaks leave lines that start with a space (mid-paragraph, at a new paragraph, or a
heading glued to the paragraph before it). What it trusts is sequence: the next chapter
numeral, the next section letter and the next paragraph number are each known in
advance, which is also what keeps the Annex's times ("10.15 a.m.") out of the paragraphs.
This module is pure Python so it can be tested and reused without a database.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

ROMAN_NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
EXPECTED_CHAPTERS = len(ROMAN_NUMERALS)
EXPECTED_SECTIONS = 12
EXPECTED_PARAGRAPHS = 59

CHAPTER_RE = re.compile(r"^\s*(?P<numeral>[IVX]+)\.\s+(?P<title>\S.*)$")
SECTION_RE = re.compile(r"^\s*(?P<letter>[A-Z])\.\s+(?P<title>\S.*)$")
PARAGRAPH_RE = re.compile(r"^\s*(?P<number>\d{1,3})\.\s+(?P<text>\S.*)$")
ANNEX_RE = re.compile(r"^\s*Annex\s*$")


class ReportFormatError(ValueError):
    """The report text does not have the structure the loader relies on."""


@dataclass
class ParsedSection:
    letter: str
    title: str
    order: int


@dataclass
class ParsedChapter:
    numeral: str
    title: str
    order: int
    sections: list[ParsedSection] = field(default_factory=list)


@dataclass
class ParsedParagraph:
    number: int
    text: str
    chapter: str
    section: str  # "" when the paragraph sits directly under its chapter
    line: int


@dataclass
class ParsedReport:
    chapters: list[ParsedChapter]
    paragraphs: list[ParsedParagraph]
    checksum: str
    annex_line: int

    @property
    def sections(self) -> list[tuple[str, ParsedSection]]:
        return [(c.numeral, s) for c in self.chapters for s in c.sections]

    def paragraph(self, number: int) -> ParsedParagraph:
        return self.paragraphs[number - 1]


def join_lines(lines: list[str]) -> str:
    """Strip each line and join with one space, except after a line-final hyphen."""
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if text and not text.endswith("-"):
            text += " "
        text += line
    return text


def _collapse(title: str) -> str:
    return " ".join(title.split())


def parse_report(raw: bytes) -> ParsedReport:
    """Parse the report's bytes; raise ReportFormatError naming the line that is wrong."""
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReportFormatError(f"the report is not UTF-8 text ({exc})") from exc

    chapters: list[ParsedChapter] = []
    paragraphs: list[ParsedParagraph] = []
    annex_line = 0

    # What is being accumulated: a heading title (may wrap) or a paragraph's lines.
    pending_kind = None  # "chapter" | "section" | "paragraph" | None
    pending_lines: list[str] = []
    pending_line_no = 0

    def flush():
        nonlocal pending_kind, pending_lines
        if pending_kind == "chapter":
            chapters[-1].title = _collapse(join_lines(pending_lines))
        elif pending_kind == "section":
            chapters[-1].sections[-1].title = _collapse(join_lines(pending_lines))
        elif pending_kind == "paragraph":
            chapter = chapters[-1]
            section = chapter.sections[-1].letter if chapter.sections else ""
            paragraphs.append(
                ParsedParagraph(
                    number=len(paragraphs) + 1,
                    text=join_lines(pending_lines),
                    chapter=chapter.numeral,
                    section=section,
                    line=pending_line_no,
                )
            )
        pending_kind, pending_lines = None, []

    for line_no, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            flush()
            continue

        if ANNEX_RE.match(line):
            flush()
            annex_line = line_no
            break

        next_numeral = ROMAN_NUMERALS[len(chapters)] if len(chapters) < EXPECTED_CHAPTERS else None
        chapter_match = CHAPTER_RE.match(line)
        if chapter_match and chapter_match["numeral"] == next_numeral:
            flush()
            chapters.append(ParsedChapter(next_numeral, "", len(chapters) + 1))
            pending_kind, pending_lines = "chapter", [chapter_match["title"]]
            continue

        if chapters:
            sections = chapters[-1].sections
            next_letter = chr(ord("A") + len(sections))
            section_match = SECTION_RE.match(line)
            if section_match and section_match["letter"] == next_letter:
                flush()
                sections.append(ParsedSection(next_letter, "", len(sections) + 1))
                pending_kind, pending_lines = "section", [section_match["title"]]
                continue

        paragraph_match = PARAGRAPH_RE.match(line)
        pending_paragraph = 1 if pending_kind == "paragraph" else 0
        next_number = len(paragraphs) + pending_paragraph + 1
        if paragraph_match and int(paragraph_match["number"]) == next_number:
            flush()
            if not chapters:
                raise ReportFormatError(
                    f"line {line_no}: paragraph {paragraph_match['number']} comes before "
                    "any chapter heading"
                )
            pending_kind, pending_lines = "paragraph", [paragraph_match["text"]]
            pending_line_no = line_no
            continue

        if pending_kind is None:
            raise ReportFormatError(
                f"line {line_no}: text outside any paragraph or heading: {line.strip()[:60]!r}"
            )
        pending_lines.append(line)
    else:
        flush()

    _check_structure(chapters, paragraphs, annex_line)
    return ParsedReport(
        chapters=chapters,
        paragraphs=paragraphs,
        checksum=hashlib.sha256(raw).hexdigest(),
        annex_line=annex_line,
    )


def _check_structure(chapters, paragraphs, annex_line):
    problems = []
    if len(chapters) != EXPECTED_CHAPTERS:
        problems.append(
            f"expected chapters I to X, found {len(chapters)}"
            + (f" (last: {chapters[-1].numeral})" if chapters else "")
        )
    section_count = sum(len(c.sections) for c in chapters)
    if section_count != EXPECTED_SECTIONS:
        problems.append(f"expected {EXPECTED_SECTIONS} subsections, found {section_count}")
    if len(paragraphs) != EXPECTED_PARAGRAPHS:
        problems.append(f"expected paragraphs 1 to {EXPECTED_PARAGRAPHS}, found {len(paragraphs)}")
    if not annex_line:
        problems.append("the Annex heading is missing (is the file truncated?)")
    empty = [p.number for p in paragraphs if not p.text]
    if empty:
        problems.append(f"paragraphs without text: {empty}")
    if problems:
        raise ReportFormatError("; ".join(problems))


def read_report(path: Path) -> ParsedReport:
    """Read and parse the report file; a missing file is a ReportFormatError too."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ReportFormatError(f"cannot read the report file {path}: {exc.strerror}") from exc
    return parse_report(raw)
