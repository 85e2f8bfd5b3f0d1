"""The parser turns the extracted report text into chapters, sections and paragraphs."""

import pytest
from django.conf import settings

from hearings.report_text import ReportFormatError, join_lines, parse_report, read_report

REPORT_PATH = settings.REPORT_DATA_DIR / "hearings-2013-summary.txt"


@pytest.fixture(scope="module")
def report():
    return read_report(REPORT_PATH)


@pytest.fixture(scope="module")
def raw():
    return REPORT_PATH.read_bytes()


def test_ten_chapters_in_order(report):
    assert [c.numeral for c in report.chapters] == [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    ]  # fmt: skip
    assert report.chapters[4].title == "Theme 1: Migrant labour and mobility"
    assert report.chapters[9].title == "Conclusion"


def test_twelve_subsections_with_wrapped_titles(report):
    sections = {f"{numeral}.{s.letter}": s.title for numeral, s in report.sections}
    assert len(sections) == 12
    assert list(sections) == [
        "V.A", "V.B", "V.C", "VI.A", "VI.B", "VI.C",
        "VIII.A", "VIII.B", "VIII.C", "VIII.D", "IX.A", "IX.B",
    ]  # fmt: skip
    # Titles that wrap onto a second line, and one with a doubled space after the letter.
    assert sections["VIII.C"] == (
        "Migration, migrants and the post-2015 United Nations development agenda"
    )
    assert sections["IX.A"] == (
        "A rights-based, gender-sensitive and migrant-centred approach to migration and development"
    )
    assert sections["IX.B"] == "Partnership, cooperation and coherence"


def test_59_paragraphs_each_exactly_once(report):
    assert [p.number for p in report.paragraphs] == list(range(1, 60))


@pytest.mark.parametrize(
    ("number", "chapter", "section"),
    [(1, "I", ""), (4, "I", ""), (17, "II", ""), (26, "IV", ""), (27, "V", "A"),
     (31, "V", "C"), (43, "VI", "C"), (45, "VII", ""), (47, "VIII", "A"), (50, "VIII", "C"),
     (51, "VIII", "D"), (55, "IX", "B"), (59, "X", "")],
)  # fmt: skip
def test_paragraphs_sit_in_their_chapter_and_section(report, number, chapter, section):
    paragraph = report.paragraph(number)
    assert (paragraph.chapter, paragraph.section) == (chapter, section)


def test_page_break_artefacts_are_handled(report):
    # Paragraph 4 and 47 start on a line with a leading space, glued to the one before.
    assert report.paragraph(3).text.endswith("on a no-objection basis.")
    assert report.paragraph(4).text.startswith("The hearings were attended by more than 300")
    assert report.paragraph(47).text.startswith("Migrants and diaspora communities")
    # A mid-paragraph line with a leading space is joined with one space.
    assert "approach to migration entailed equal access of all migrants" in (
        report.paragraph(9).text
    )
    # Headings glued to the paragraph before do not leak into it.
    assert report.paragraph(26).text.endswith("on which all actors could agree.")
    assert report.paragraph(50).text.endswith("in countries of origin and destination.")


def test_line_final_hyphens_are_kept_without_space(report):
    assert "a comprehensive, rights-based, gender-sensitive and migrant-centred" in (
        report.paragraph(9).text
    )
    assert "inclusion of international migration in the post-2015 United Nations" in (
        report.paragraph(50).text
    )
    assert "the high-level dialogue should promote" in report.paragraph(29).text


def test_nothing_from_the_annex_is_a_paragraph(report):
    last = report.paragraph(59)
    assert last.text.endswith("for improving the well-being of migrants and non-migrants alike.")
    for paragraph in report.paragraphs:
        assert "a.m." not in paragraph.text
        assert "Programme of the informal" not in paragraph.text
    assert report.annex_line > last.line


def test_checksum_is_the_file_sha256(report, raw):
    import hashlib

    assert report.checksum == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["a gender-", "sensitive approach"], "a gender-sensitive approach"),
        (["  one ", " two  "], "one two"),
        (["ends.", "", "next"], "ends. next"),
        (["post-", "2015 agenda"], "post-2015 agenda"),
    ],
)
def test_join_lines(lines, expected):
    assert join_lines(lines) == expected


def test_truncated_report_is_refused(raw):
    with pytest.raises(ReportFormatError, match="expected paragraphs 1 to 59, found 3"):
        parse_report(raw[: raw.index(b"4. The hearings were attended")])


def test_report_cut_before_the_annex_is_refused(raw):
    with pytest.raises(ReportFormatError, match="Annex heading is missing"):
        parse_report(raw[: raw.index(b" Annex")])


def test_missing_paragraph_is_refused(raw):
    broken = raw.replace(b"\n30. Reducing the costs", b"\nReducing the costs")
    with pytest.raises(ReportFormatError, match="line 291: text outside any paragraph"):
        parse_report(broken)


def test_renumbered_paragraph_is_refused(raw):
    broken = raw.replace(b"\n30. Reducing the costs", b"\n31. Reducing the costs")
    with pytest.raises(ReportFormatError, match="line 291: text outside any paragraph"):
        parse_report(broken)


def test_empty_and_binary_files_are_refused():
    with pytest.raises(ReportFormatError, match="expected chapters I to X, found 0"):
        parse_report(b"")
    with pytest.raises(ReportFormatError, match="not UTF-8"):
        parse_report(b"\xff\xfe\x00garbage")


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ReportFormatError, match="cannot read the report file"):
        read_report(tmp_path / "nowhere.txt")
