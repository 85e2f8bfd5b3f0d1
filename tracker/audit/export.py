"""The audit log as CSV: one row per changed field, streamed in batches (constant memory;
a constant number of queries per batch), UTF-8 with a BOM, every cell through
tracker.reports.columns.cell_value (formulas made inert)."""

import datetime
from collections.abc import Iterable, Iterator

from django.utils import translation
from django.utils.translation import gettext as _

from tracker.reports.columns import cell_value
from tracker.reports.tables import csv_line_writer

from .changes import Change, describe

BATCH_SIZE = 500
CONTENT_TYPE = "text/csv; charset=utf-8"


def headers() -> list[str]:
    return [
        _("When (UTC)"),
        _("Who"),
        _("Action"),
        _("Object kind"),
        _("Object"),
        _("Field"),
        _("Before"),
        _("After"),
    ]


def filename(today: datetime.date) -> str:
    return f"audit-log-{today.isoformat()}.csv"


def _cells(change: Change) -> tuple[str, str]:
    if change.operation == "add":
        return "", _("added: %(objects)s") % {"objects": change.after}
    if change.operation == "remove":
        return "", _("removed: %(objects)s") % {"objects": change.before}
    if change.operation == "set":
        return "", _("set to: %(objects)s") % {"objects": change.after}
    return change.before or "", change.after or ""


def rows(views) -> Iterator[list]:
    """One row per changed field (an entry with nothing recorded is one row too), every
    cell through cell_value, once: the entry's cells are shared by its rows."""
    for view in views:
        entry = view.entry
        when = entry.timestamp.astimezone(datetime.UTC).isoformat(timespec="seconds")
        start = [cell_value(c) for c in (when, view.who, view.action, view.kind,
                                          entry.object_repr)]  # fmt: skip
        if not view.changes:
            yield [*start, "", "", ""]
        for change in view.changes:
            yield [*start, *(cell_value(c) for c in (change.label, *_cells(change)))]


def csv_chunks(entries, *, tz, language) -> Iterator[str]:
    """The CSV text in chunks, one per batch of entries. `tz` and `language` are the
    request's: the chunks are written after the view has returned."""
    writer = csv_line_writer()

    def write(lines: Iterable[list]) -> str:
        return "".join(writer.writerow(line) for line in lines)

    with translation.override(language):
        head = "\ufeff" + write([[cell_value(label) for label in headers()]])
    yield head
    batch = []
    for entry in entries.iterator(chunk_size=BATCH_SIZE):
        batch.append(entry)
        if len(batch) == BATCH_SIZE:
            with translation.override(language):
                chunk = write(rows(describe(batch, tz)))
            yield chunk
            batch = []
    if batch:
        with translation.override(language):
            chunk = write(rows(describe(batch, tz)))
        yield chunk
