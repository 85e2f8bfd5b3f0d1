"""Confirming an import: every change re-validated under lock and applied in one
transaction, each through tracker.services.status_update_record, or none at all."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tracker import services

from .checking import ImportCheck, ImportRejected, RowError, status_updates_check
from .reading import ImportRow


@transaction.atomic
def status_updates_import(
    *, user, rows: list[ImportRow], columns=None, progress=None
) -> ImportCheck:
    """Apply every row's change as a status update by `user`, all in one transaction or none.

    The lines are locked and every row validated again first; any error (a line that moved
    on since the preview, a permission lost) raises ImportRejected and writes nothing.
    `progress(done, total)`, when given, hears each change recorded (a background job).
    """
    check = status_updates_check(user=user, rows=rows, columns=columns, lock=True)
    if check.errors:
        raise ImportRejected(check)
    for done, change in enumerate(check.changes):
        if progress:
            progress(done, len(check.changes))
        try:
            services.status_update_record(
                line_id=change.line.pk,
                user=user,
                status=change.status,
                note=change.note,
                effective_date=change.effective_date,
                evidence_links=change.evidence_links,
                # Read under the lock, after last_update_id was checked against the line.
                seen_version=change.line.update_count,
                refresh_progress=False,
            )
        except (services.StaleLine, PermissionDenied) as exc:
            # Cannot happen under the lock; if it does, raising undoes every row.
            check.errors.append(
                RowError(change.row, "line_id", _("This line changed while importing."))
            )
            raise ImportRejected(check) from exc
    # One roll-up for every recommendation touched, in the same transaction.
    services.progress_refresh({change.line.recommendation_id for change in check.changes})
    return check
