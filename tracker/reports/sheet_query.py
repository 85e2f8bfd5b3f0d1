"""The follow-up sheet as one SQL query, and columns.cell_value's rule written in SQL.

One query gives the sheet's rows as of the date, in report order, for any selection
(`ExportOptions.lines()`, so every filter of the list): the lines that count on the date
(`asof.active_lines_on`), the update in force then, each recommendation's roll-up over
those lines (tracker.rollup's rule, as a window) and the keys of its agenda points, Global
Compact objectives and SDG targets. It comes in
two forms:

- `raw_query`: typed values as stored (numbers, dates, text) for the writers that put
  every cell through columns.cell_value in Python: Excel, and CSV where COPY cannot serve;
- `cells_query`: every column as the CSV cell it becomes (the cell rule in SQL:
  `printable_sql`, then `neutralise_sql`), for PostgreSQL's COPY (tracker.reports.copying).

The update in force on the date is the line's current update (kept on the line, with its
effective date as `status_since`, in the same transaction as each update: tracker.services)
when that one took effect on or before the date: it is the latest in the one ordering, so
the latest effective by then. Otherwise it is the latest update effective on or before
the date, one probe of the index tracker_update_line_order. Exports as of today read the
stored state; older dates pay one probe per line that changed since. No other index is
needed: a whole export reads every table once (hash joins), a filtered one reaches its
lines through their recommendation (tracker_line_unique_per_actor).
"""

import datetime
import re
import uuid

from django.db import connection
from django.db.models import Case, F, IntegerField, OuterRef, Subquery, Value, When

from hearings.models import (
    Actor,
    AgendaPoint,
    GcmObjective,
    GcmTag,
    Paragraph,
    Recommendation,
    SdgTag,
    SdgTarget,
    Theme,
)
from tracker.evidence.models import EvidenceFile
from tracker.evidence.selectors import absolute_download_url
from tracker.models import FINAL_STATUSES, PROGRESS_ORDER, Status, StatusUpdate
from tracker.rollup import CAP

from . import columns
from .asof import NEWEST_FIRST, active_lines_on
from .options import ExportOptions

# The raw query's columns: the sheet's up to last_update_id, then what the Summary needs.
RAW_COLUMNS = [*columns.COLUMN_KEYS[: columns.COLUMN_KEYS.index("last_update_id") + 1],
               "recommendation_id", "theme_id", "evidence_files", "gcm_objectives",
               "sdg_targets"]  # fmt: skip
# Text columns that can hold anything stored: these get the cell rule, per line (theme,
# actor key and name get it once per theme and actor, in the query's WITH list). The other
# columns are numbers, dates, the status vocabulary (checked by the database) and the
# overdue words.
FREE_TEXT = {"recommendation", "title", "agenda_points", "gcm_objectives", "sdg_targets",
             "note", "evidence_links"}  # fmt: skip

# hearings.text.UNSAFE_CHARACTER as a PostgreSQL regular expression, but NUL and lone
# surrogates, which PostgreSQL text cannot hold.
UNSAFE_SQL = r"[\x01-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]"

# Vendor-specific pieces: the keys of a recommendation `r`'s agenda points (or objectives,
# targets: the link table `links`, its column `column` naming a row of the query's
# `groups`), and the evidence links of an update `s` joined by newlines (both in order, or
# NULL for none).
GROUP_KEYS = {
    "postgresql": "(SELECT string_agg(g.key, ', ' ORDER BY g.sort_key) FROM {links} ra"
    " JOIN {groups} g ON g.id = ra.{column} WHERE ra.recommendation_id = r.id)",
    "sqlite": "(SELECT group_concat(k, ', ') FROM (SELECT g.key AS k FROM {links} ra"
    " JOIN {groups} g ON g.id = ra.{column} WHERE ra.recommendation_id = r.id"
    " ORDER BY g.sort_key))",
}
LINKS = {
    "postgresql": "CASE WHEN jsonb_typeof(s.evidence_links) = 'array' THEN (SELECT"
    " {links} FROM jsonb_array_elements_text(s.evidence_links) WITH ORDINALITY AS e(link, n))"
    " END",
    "sqlite": "(SELECT {links} FROM json_each(s.evidence_links))",
}
# The evidence files (not withdrawn) of an update `s`, as "id:key" pairs in the order they
# were attached (tracker.evidence.selectors.download_urls makes them links).
FILE_PAIRS = {
    "postgresql": "(SELECT string_agg(ef.id::text || ':' || ef.key::text, ' ' ORDER BY ef.id)"
    " FROM {evidence} ef WHERE ef.update_id = s.id AND ef.withdrawn_at IS NULL)",
    "sqlite": "(SELECT group_concat(k, ' ') FROM (SELECT ef.id || ':' || ef.key AS k"
    " FROM {evidence} ef WHERE ef.update_id = s.id AND ef.withdrawn_at IS NULL"
    " ORDER BY ef.id))",
}
JOINED_LINKS = {
    "postgresql": "string_agg(e.link, chr(10) ORDER BY e.n)",
    "sqlite": "group_concat(value, char(10))",
}


def _literal(value: str) -> str:
    """A status (checked vocabulary) as an SQL literal."""
    if not re.fullmatch(r"[a-z-]+", value):
        raise ValueError(value)
    return f"'{value}'"


def printable_sql(expression: str) -> str:
    """hearings.text.printable in PostgreSQL, on a column or an aggregate (it is written
    twice; the database computes an aggregate once): line breaks normalised, refused
    characters removed. A text with neither (carriage returns are among the refused
    characters) is left as it is, which is one scan of it."""
    cleaned = (
        f"regexp_replace(replace(replace({expression}, chr(13) || chr(10), chr(10)), "
        f"chr(13), chr(10)), '{UNSAFE_SQL}', '', 'g')"
    )
    return f"CASE WHEN {expression} ~ '{UNSAFE_SQL}' THEN {cleaned} ELSE {expression} END"


def neutralise_sql(column: str) -> str:
    """columns.neutralise on a column already made printable: a leading apostrophe on a
    cell a spreadsheet would run as a formula; '' becomes NULL, which COPY writes as an
    empty field (as Python's csv writes ''), where it would write "" for ''."""
    starts = ", ".join(f"chr({ord(c)})" for c in (*columns.FORMULA_STARTS, columns.ESCAPE))
    escape = f"chr({ord(columns.ESCAPE)})"
    escaped = (
        f"CASE WHEN left({column}, 1) IN ({starts}) THEN {escape} || {column} ELSE {column} END"
    )
    return f"NULLIF({escaped}, '')"


def cell_sql(placeholder: str = "%s") -> str:
    """columns.cell_value in SQL, as a query of one value: what the CSV cell of a stored
    text is (the shared table of cases in the tests holds both rules to it)."""
    printable = printable_sql("v")
    return (
        f"SELECT {neutralise_sql('c')} FROM (SELECT {printable} AS c"
        f" FROM (SELECT CAST({placeholder} AS text) AS v) value) cell"
    )


def _roll_up_sql() -> str:
    """tracker.rollup.roll_up over a recommendation's rows, as window aggregates."""
    window = "OVER (PARTITION BY position, code)"  # code is unique; one sort with ORDER

    def count(condition):
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) {window}"

    relevant = count(f"status <> {_literal(Status.NO_LONGER_RELEVANT)}")
    ranks = " ".join(f"WHEN {_literal(s)} THEN {i}" for i, s in enumerate(PROGRESS_ORDER))
    best = f"MAX(CASE status {ranks} ELSE 0 END) {window}"
    steps = " ".join(
        f"WHEN {best} >= {i} THEN {_literal(PROGRESS_ORDER[i])}" for i in range(CAP, 0, -1)
    )
    return (
        f"CASE WHEN {relevant} = 0 THEN {_literal(Status.NO_LONGER_RELEVANT)}"
        f" WHEN {count(f'status = {_literal(Status.IMPLEMENTED)}')} = {relevant}"
        f" THEN {_literal(Status.IMPLEMENTED)}"
        f" WHEN {count(f'status = {_literal(Status.WILL_NOT_BE_IMPLEMENTED)}')} = {relevant}"
        f" THEN {_literal(Status.WILL_NOT_BE_IMPLEMENTED)}"
        f" {steps} ELSE {_literal(PROGRESS_ORDER[0])} END"
    )


def _picked(options: ExportOptions):
    """The lines in the report on the date, each with the id of its update in force then
    and of the last update recorded on it (whatever the date: what an import checks)."""
    as_of = options.as_of
    in_force = StatusUpdate.objects.filter(line=OuterRef("pk"), effective_date__lte=as_of)
    newest = StatusUpdate.objects.filter(line=OuterRef("pk")).order_by("-id")
    lines = active_lines_on(options.lines(), as_of).annotate(
        update_id=Case(
            When(current_update__isnull=True, then=Value(None)),
            When(status_since__lte=as_of, then=F("current_update_id")),
            default=Subquery(in_force.order_by(*NEWEST_FIRST).values("id")[:1]),
            output_field=IntegerField(),
        ),
        newest_id=Case(
            When(current_update__isnull=True, then=Value(None)),
            default=Subquery(newest.values("id")[:1]),
            output_field=IntegerField(),
        ),
    )
    return lines.order_by().values(
        "update_id", "newest_id", line_id=F("pk"), rec_id=F("recommendation_id"),
        who_id=F("actor_id"), due=F("target_date"),
    ).query.sql_with_params()  # fmt: skip


def _rows_sql(options: ExportOptions, *, clean, cell) -> tuple[str, str, list]:
    """The rows with every value as of the date (free text through `clean`), the roll-up
    and the overdue flag, still unordered: (the query's WITH list, the rows, parameters).

    Themes and actors become their cells (`cell`), agenda point, objective and target keys
    are cleaned, once each, in the WITH list (materialised on PostgreSQL), not once per
    line."""
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    picked, params = _picked(options)
    tables = {
        "rec": Recommendation._meta.db_table,
        "paragraph": Paragraph._meta.db_table,
        "theme": Theme._meta.db_table,
        "actor": Actor._meta.db_table,
        "update": StatusUpdate._meta.db_table,
        "through": Recommendation.agenda_points.through._meta.db_table,
        "point": AgendaPoint._meta.db_table,
        "objective": GcmObjective._meta.db_table,
        "target": SdgTarget._meta.db_table,
        "evidence": EvidenceFile._meta.db_table,
    }
    once = "MATERIALIZED " if vendor == "postgresql" else ""
    ctes = (
        f"themes AS {once}(SELECT id, {cell('title')} AS title FROM {tables['theme']}), "
        f"actors AS {once}(SELECT id, name AS sort_name, {cell('key')} AS key,"
        f" {cell('name')} AS name FROM {tables['actor']}), "
        f"points AS {once}(SELECT id, key AS sort_key, {clean('key')} AS key"
        f" FROM {tables['point']}), "
        f"objectives AS {once}(SELECT id, number AS sort_key, {clean('key')} AS key"
        f" FROM {tables['objective']}), "
        f"targets AS {once}(SELECT id, position AS sort_key, {clean('key')} AS key"
        f" FROM {tables['target']})"
    )
    agenda, gcm, sdg = (
        GROUP_KEYS[vendor].format(links=links, groups=groups, column=column)
        for links, groups, column in (
            (tables["through"], "points", "agendapoint_id"),
            (GcmTag._meta.db_table, "objectives", "objective_id"),
            (SdgTag._meta.db_table, "targets", "target_id"),
        )
    )
    files = FILE_PAIRS[vendor].format(**tables)
    links = LINKS[vendor].format(links=clean(JOINED_LINKS[vendor]))
    finals = ", ".join(_literal(s) for s in sorted(FINAL_STATUSES))
    no_information = _literal(Status.NO_INFORMATION)
    lines = f"""
        SELECT p.line_id, p.rec_id AS recommendation_id, r.theme_id, r.position, r.code,
               {clean("r.code")} AS recommendation, {clean("r.title")} AS title,
               pa.number AS paragraph, t.title AS theme, {agenda} AS agenda_points,
               {gcm} AS gcm_objectives, {sdg} AS sdg_targets,
               a.key AS actor, a.sort_name, a.name AS actor_name, p.due AS target_date,
               COALESCE(s.status, {no_information}) AS status,
               s.effective_date AS status_since, {clean("s.note")} AS note,
               {links} AS evidence_links, p.newest_id AS last_update_id,
               {files} AS evidence_files
          FROM ({picked}) p
          JOIN {tables["rec"]} r ON r.id = p.rec_id
          JOIN {tables["paragraph"]} pa ON pa.id = r.paragraph_id
          JOIN themes t ON t.id = r.theme_id
          JOIN actors a ON a.id = p.who_id
          LEFT JOIN {tables["update"]} s ON s.id = p.update_id"""
    rows = f"""
        SELECT lines.*, {_roll_up_sql()} AS overall_status,
               CASE WHEN target_date < %s AND status NOT IN ({finals}) THEN 1 ELSE 0 END
                 AS overdue
          FROM ({lines}) lines"""
    return ctes, rows, [options.as_of, *params]  # in the order of the placeholders


ORDER = "ORDER BY position, code, sort_name, line_id"


def _as_stored(expression: str) -> str:
    return expression


def raw_query(options: ExportOptions) -> tuple[str, list]:
    """RAW_COLUMNS for every line in the sheet, in report order, as stored."""
    ctes, rows, params = _rows_sql(options, clean=_as_stored, cell=_as_stored)
    return f"WITH {ctes} SELECT {', '.join(RAW_COLUMNS)} FROM ({rows}) sheet {ORDER}", params


def cells_query(options: ExportOptions, *, yes: str, no: str, demo: str | None) -> tuple:
    """The sheet's CSV cells (PostgreSQL): columns.COLUMN_KEYS, after a first `demo`
    column if given; `yes` and `no` are the overdue column's cells."""
    ctes, rows, params = _rows_sql(
        options, clean=printable_sql, cell=lambda column: neutralise_sql(printable_sql(column))
    )
    cells = {key: neutralise_sql(key) if key in FREE_TEXT else key for key in columns.COLUMN_KEYS}
    cells.update(
        status_since="to_char(status_since, 'YYYY-MM-DD')",
        target_date="to_char(target_date, 'YYYY-MM-DD')",
        overdue="CASE WHEN overdue = 1 THEN %s ELSE %s END",
        new_status="NULL", new_note="NULL", new_effective_date="NULL",
        new_evidence_links="NULL",
        evidence_files=download_urls_sql("evidence_files"),
    )  # fmt: skip
    select = [cells[key] for key in columns.COLUMN_KEYS]
    head = [yes, no]
    if demo is not None:
        select.insert(0, "%s")
        head.insert(0, demo)
    sql = f"WITH {ctes} SELECT {', '.join(select)} FROM ({rows}) sheet {ORDER}"
    return sql, [*head, *params]


def download_urls_sql(pairs: str) -> str:
    """The "id:key" pairs as download links, one per line, as download_urls writes them
    (PostgreSQL; the links are the app's own, on PUBLIC_BASE_URL)."""
    blank = uuid.UUID(int=0)
    prefix = absolute_download_url(blank).replace(f"{blank}/", "")
    if not re.fullmatch(r"https?://[\w.:\[\]/-]+", prefix):  # PUBLIC_BASE_URL is an origin
        raise ValueError(prefix)
    links = f"regexp_replace({pairs}, '[0-9]+:([0-9a-f-]+)', '{prefix}' || '\\1/', 'g')"
    return f"replace({links}, ' ', chr(10))"  # NULL for none: an empty cell, as csv writes it


def as_date(value):
    """A date column's value from either database (SQLite hands back ISO text)."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value
