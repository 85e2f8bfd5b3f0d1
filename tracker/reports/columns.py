"""The follow-up sheet's columns and cell safety, shared by the exports and the import.

One row per follow-up line. The `new_*` columns are the only ones an import reads
besides `line_id` and `last_update_id`; everything else is for reading and is ignored
on import. `last_update_id` is the id of the last update recorded on the line when the
file was exported (whatever the as-of date), so an import refuses a row whose line moved
on since (the same rule as the stale form).
"""

import re

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hearings.text import printable

# (key, label). A header cell reads "label [key]": people read the label, the import
# matches the key in brackets. The follow-up sheet's headers are English in every export
# language (stable_headers), so a file's columns never depend on who exported it.
FOLLOW_UP_COLUMNS = [
    ("line_id", _("Line id (do not change)")),
    ("recommendation", _("Recommendation code")),
    ("title", _("Title")),
    ("paragraph", _("Paragraph")),
    ("theme", _("Theme")),
    ("agenda_points", _("Agenda points")),
    ("actor", _("Actor key")),
    ("actor_name", _("Actor")),
    ("overall_status", _("Overall status of the recommendation")),
    ("status", _("Status as of the date")),
    ("status_since", _("Status effective since")),
    ("note", _("Latest note")),
    ("evidence_links", _("Evidence links")),
    ("target_date", _("Target date")),
    ("overdue", _("Overdue")),
    ("last_update_id", _("Last update id (do not change)")),
    ("new_status", _("NEW status")),
    ("new_note", _("NEW note")),
    ("new_effective_date", _("NEW effective date (YYYY-MM-DD)")),
    ("new_evidence_links", _("NEW evidence links (one per line)")),
    # Download links on PUBLIC_BASE_URL, one per line; the import ignores them. Last, so
    # that no column of earlier exports moves.
    ("evidence_files", _("Evidence files of the latest update (download links)")),
    # The recommendation's Global Compact objectives and SDG targets (keys, like the
    # agenda points); after the files for the same reason. The import ignores them.
    ("gcm_objectives", _("Global Compact objectives")),
    ("sdg_targets", _("SDG targets")),
]
COLUMN_KEYS = [key for key, _label in FOLLOW_UP_COLUMNS]
IMPORT_KEYS = ["line_id", "last_update_id", "new_status", "new_note", "new_effective_date",
               "new_evidence_links"]  # fmt: skip

# The History sheet: one row per status update up to the as-of date (export only).
HISTORY_COLUMNS = [
    ("line_id", _("Line id")),
    ("recommendation", _("Recommendation code")),
    ("actor", _("Actor key")),
    ("actor_name", _("Actor")),
    ("update_id", _("Update id")),
    ("effective_date", _("Effective date")),
    ("status", _("Status")),
    ("note", _("Note")),
    ("evidence_links", _("Evidence links")),
    ("evidence_files", _("Evidence files (download links)")),
    ("recorded_at", _("Recorded at (UTC)")),
    ("recorded_by", _("Recorded by")),
    ("corrects", _("Corrects update id")),
]
HEADER_KEY = re.compile(r"\[([a-z_]+)\]\s*$")


# The follow-up sheet's header cells are in this language whatever the export's: the same
# file in every language (scripts and the import read them).
HEADER_LANGUAGE = "en"


def header(key, label) -> str:
    return f"{label} [{key}]"


def stable_headers(sheet_columns) -> list[str]:
    """The header cells of these columns in HEADER_LANGUAGE."""
    with translation.override(HEADER_LANGUAGE):
        return [header(key, str(label)) for key, label in sheet_columns]


def header_key(cell) -> str | None:
    """The column key of a header cell written by `header`, or None."""
    match = HEADER_KEY.search(str(cell or ""))
    return match[1] if match else None


# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def neutralise(value):
    """Make a text cell inert for spreadsheet programs, in a way `restore` undoes."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, ESCAPE)):
        return ESCAPE + value
    return value


def cell_value(value):
    """What a sheet cell holds (every cell of every sheet, CSV and Excel, goes through
    here): text cleaned of what XML cannot carry (hearings.text.printable, for anything
    stored before that rule), then made inert for spreadsheet programs."""
    if isinstance(value, str):
        return neutralise(printable(value))
    return value


def restore(value):
    """Undo `neutralise` on a cell read back from a file."""
    if isinstance(value, str) and value.startswith(ESCAPE):
        return value[1:]
    return value
