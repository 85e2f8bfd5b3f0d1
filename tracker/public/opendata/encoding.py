"""Rows as CSV or JSON, in chunks of about CHUNK_BYTES: a download holds one chunk at a
time, whatever its size.

CSV: UTF-8 without a byte order mark, a header row of the field names, RFC 4180 quoting;
every text cell through the project's one cell rule (tracker.reports.columns.cell_value:
text cleaned of what XML cannot carry, and a leading apostrophe on a cell a spreadsheet
would run as a formula); lists joined by single spaces; dates as YYYY-MM-DD, times in UTC
as YYYY-MM-DDThh:mm:ssZ; a missing value is an empty cell.

JSON: an array of objects keyed by the field names; text cleaned the same way
(hearings.text.printable) but not escaped (no program runs JSON as a formula); lists are
arrays; a missing value is null.
"""

import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator

from django.utils import timezone

from hearings.text import printable
from tracker.reports.columns import cell_value

from .resources import LIST_SEPARATOR, Field

CHUNK_BYTES = 64 * 1024


def _instant(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _plain(value):
    """A value as JSON carries it."""
    if isinstance(value, datetime.datetime):
        return _instant(value if timezone.is_aware(value) else timezone.make_aware(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def csv_cell(value):
    """One CSV cell (the module's rules)."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    elif isinstance(value, datetime.date):
        return _plain(value)
    return cell_value(value)


def csv_chunks(fields: list[Field], rows: Iterable[tuple]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f.name for f in fields])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def json_chunks(fields: list[Field], rows: Iterable[tuple]) -> Iterator[bytes]:
    names = [f.name for f in fields]
    parts, size, separator = ["["], 1, "\n"
    for row in rows:
        text = json.dumps(dict(zip(names, map(_plain, row), strict=True)), ensure_ascii=False)
        parts.append(separator + text)
        separator = ",\n"
        size += len(text) + 2
        if size >= CHUNK_BYTES:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    parts.append("\n]\n")
    yield "".join(parts).encode("utf-8")


WRITERS = {"csv": csv_chunks, "json": json_chunks}
