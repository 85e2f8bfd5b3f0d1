"""Hostile sheets: XML entities whatever a member is called, control characters in cells."""

import io
import zipfile

import pytest
from openpyxl import xml as openpyxl_xml

from tests.imports.test_imports import (
    build_csv,
    build_xlsx,
    check_file,
    errors_of,
    file_error,
    lines_of,
    make_account,
    new_cells,
    sheet_rows,
)
from tracker.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(loaded_report):
    return make_account("coord", Role.COORDINATOR)


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("xl/worksheets/....XML", b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;</x>'),
        ("xl/extra.Rels", b'<?xml version="1.0"?><!ENTITY a SYSTEM "file:///etc/passwd">'),
        ("customXml/item1", '<!DOCTYPE x [<!ENTITY a "b">]>'.encode("utf-16-le")),
        ("docProps/custom.bin", "<!doctype x>".encode("utf-16-be")),
    ],
)
def test_a_dtd_is_refused_in_any_member_whatever_its_name(coordinator, name, content):
    data = with_member(build_xlsx(sheet_rows(lines_of("governments", 1))), name, content)
    assert "declares XML entities" in file_error(coordinator, data, "f.xlsx")


def test_workbooks_are_parsed_with_defusedxml():
    """openpyxl switches to defusedxml's parser when it is installed (a pinned dependency)."""
    assert openpyxl_xml.DEFUSEDXML


def test_a_control_character_in_a_note_is_an_error_naming_the_column(coordinator):
    line = lines_of("governments", 1)[0]
    rows = sheet_rows([line], {line.pk: new_cells(note="Budget\x1b approved")})
    check = check_file(coordinator, build_csv(rows))
    assert errors_of(check) == [(2, "new_note", "R")]
    assert "U+001B" in check.errors[0].message


def test_a_control_character_in_a_link_is_an_error(coordinator):
    line = lines_of("governments", 1)[0]
    rows = sheet_rows([line], {line.pk: new_cells(links="https://example.org/\x01report")})
    check = check_file(coordinator, build_csv(rows))
    assert [(e.row, e.column) for e in check.errors] == [(2, "new_evidence_links")]


def test_windows_line_breaks_in_a_note_are_stored_as_newlines(coordinator):
    line = lines_of("governments", 1)[0]
    rows = sheet_rows([line], {line.pk: new_cells(note="First line\r\nsecond line")})
    check = check_file(coordinator, build_csv(rows))
    assert not check.errors
    assert check.changes[0].note == "First line\nsecond line"
