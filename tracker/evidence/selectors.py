"""Reads of evidence files for the reports: their absolute download links, and the files
of many status updates in one query. Withdrawn files are left out: a report lists what a
reader can open."""

import uuid
from collections import defaultdict

from django.urls import reverse

from tracker.links import absolute_url

from .models import EvidenceFile


def absolute_download_url(key) -> str:
    """The file's download link on PUBLIC_BASE_URL (opened, it asks for a login)."""
    return absolute_url(reverse("evidence-download", args=[key]))


def available_files():
    """Files not withdrawn, in the order they were attached."""
    return EvidenceFile.objects.filter(withdrawn_at__isnull=True).order_by("update_id", "id")


def files_by_update(update_ids) -> dict[int, list[EvidenceFile]]:
    """{update id: its files not withdrawn} for the updates `update_ids` names (a list, or
    a queryset of ids used as a subquery): one query."""
    found = defaultdict(list)
    rows = available_files().filter(update_id__in=update_ids)
    for evidence_file in rows.only("update_id", "key", "original_name", "size", "kind"):
        found[evidence_file.update_id].append(evidence_file)
    return dict(found)


def download_urls(pairs: str | None) -> str:
    """ "id:key" pairs (joined by any separator, as a database aggregates them) as download
    links, one per line, in the order the files were attached."""
    if not pairs:
        return ""
    parsed = []
    for pair in pairs.replace(",", " ").split():
        pk, _sep, key = pair.partition(":")
        parsed.append((int(pk), uuid.UUID(key)))
    return "\n".join(absolute_download_url(key) for _pk, key in sorted(parsed))
