"""The report's structure (the Report row, its chapters, sections and paragraphs): it comes
from the text alone, so it is simply kept equal to the parsed text, changed in place where
a value differs."""

from . import models
from .report_text import ParsedReport


def sync_fields(obj, values: dict) -> bool:
    """Set the differing attributes of an existing row and save them; True if it changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)


def structure_apply(parsed: ParsedReport, meta, source_file: str, result):
    """Create or update the Report row, its chapters, sections and paragraphs from the
    parsed text; count what changed in `result`. Returns (report, chapters by numeral,
    paragraphs by number)."""
    values = {
        "title": meta.title,
        "symbol": meta.symbol,
        "hearing_date": meta.hearing_date,
        "dialogue_start": meta.dialogue_start,
        "dialogue_end": meta.dialogue_end,
        "mandate": meta.mandate,
        "checksum": parsed.checksum,
    }
    report = models.Report.objects.filter(source_file=source_file).first()
    if report is None:
        report = models.Report.objects.create(source_file=source_file, **values)
        result.count("report", result.created)
    elif sync_fields(report, values):
        result.count("report", result.updated)

    chapters = {c.numeral: c for c in report.chapters.all()}
    sections = {
        (s.chapter.numeral, s.letter): s
        for s in models.Section.objects.filter(chapter__report=report).select_related("chapter")
    }
    for parsed_chapter in parsed.chapters:
        values = {"order": parsed_chapter.order, "title": parsed_chapter.title}
        chapter = chapters.get(parsed_chapter.numeral)
        if chapter is None:
            chapter = models.Chapter.objects.create(
                report=report, numeral=parsed_chapter.numeral, **values
            )
            chapters[chapter.numeral] = chapter
            result.count("chapter", result.created)
        elif sync_fields(chapter, values):
            result.count("chapter", result.updated)
        for parsed_section in parsed_chapter.sections:
            key = (chapter.numeral, parsed_section.letter)
            values = {"order": parsed_section.order, "title": parsed_section.title}
            section = sections.get(key)
            if section is None:
                sections[key] = models.Section.objects.create(
                    chapter=chapter, letter=parsed_section.letter, **values
                )
                result.count("section", result.created)
            elif sync_fields(section, values):
                result.count("section", result.updated)

    existing = {p.number: p for p in report.paragraphs.all()}
    for parsed_paragraph in parsed.paragraphs:
        values = {
            "chapter": chapters[parsed_paragraph.chapter],
            "section": sections.get((parsed_paragraph.chapter, parsed_paragraph.section)),
            "text": parsed_paragraph.text,
        }
        paragraph = existing.get(parsed_paragraph.number)
        if paragraph is None:
            existing[parsed_paragraph.number] = models.Paragraph.objects.create(
                report=report, number=parsed_paragraph.number, **values
            )
            result.count("paragraph", result.created)
        elif sync_fields(paragraph, values):
            result.count("paragraph", result.updated)
    return report, chapters, existing
