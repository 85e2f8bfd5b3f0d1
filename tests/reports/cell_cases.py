"""The one table of cases of the cell rule (tracker.reports.columns.cell_value): a stored
text and the sheet cell it becomes, in CSV and Excel. Held to it: the Python rule, the
SQL rule PostgreSQL's COPY applies (sheet_query.printable_sql, neutralise_sql), and
whole exports on either database (tests/reports/test_cell_rule.py)."""

CELL_CASES = [
    ("", ""),
    ("Plan adopted", "Plan adopted"),
    # Formulas made inert with a leading apostrophe (which the import removes).
    ("=1+1", "'=1+1"),
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ("+1", "'+1"),
    ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tindented", "'\tindented"),
    ("'quoted", "''quoted"),
    ("'", "''"),
    ("=", "'="),
    # Not at the start: nothing to escape.
    (" =1", " =1"),
    ("a=b-c+d@e", "a=b-c+d@e"),
    ("\n=1", "\n=1"),
    # Line breaks normalised, as every door stores them.
    ("a\r\nb", "a\nb"),
    ("a\rb", "a\nb"),
    ("\r=1", "\n=1"),
    ("line one\nline two", "line one\nline two"),
    ("tab\tinside", "tab\tinside"),
    # Characters no output can carry removed (stored before hearings.text's rule).
    ("Budget\x1b[31m approved", "Budget[31m approved"),
    ("a\x00b", "ab"),
    ("a\x07b\x08c\x0bd\x0ce\x1f", "abcde"),
    ("\x07=1", "'=1"),
    ("\x0c-2", "'-2"),
    ("a\x7fb\x85c\x9f", "abc"),
    ("\ufffe\uffffx", "x"),
    ("a\ud800b\udfff", "ab"),
    ("\x0b", ""),
    # Everything else as it is: commas, quotes, any script.
    ("a, b", "a, b"),
    ('say "hi"', 'say "hi"'),
    ("é — ✓ Ελλάδα 日本 🌍", "é — ✓ Ελλάδα 日本 🌍"),
    ("\\.", "\\."),
    ("\xa0non-breaking", "\xa0non-breaking"),
]


def storable(text: str, vendor: str) -> bool:
    """Whether the database can hold the text at all: no lone surrogates anywhere (UTF-8
    cannot encode them), and no NUL in PostgreSQL's text."""
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return False
    return not (vendor == "postgresql" and "\x00" in text)
