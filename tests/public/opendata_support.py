"""Helpers for the open data and feed tests: the markers planted in every non-public field,
recording on a line, and reading a download back. The fixtures are in opendata_fixtures.py."""

import csv
import datetime
import io
import json

from tracker import services
from tracker.models import FollowUpLine

# Markers planted in every non-public field: none may appear in a public file or feed.
RECORDER_NAME = "Zebulon-Recorder-Marker"
RECORDER_EMAIL = "recorder-marker@private.example.org"
INTERNAL_NOTE = "INTERNAL-NOTE-MARKER: the minister has not answered."
WITHHELD_NOTE = "WITHHELD-LINE-MARKER: talks under way."
WITHHELD_REC_NOTE = "WITHHELD-REC-MARKER: sensitive."
TARGET_DATE = datetime.date(2099, 9, 9)
PUBLISHED_NOTE = "Hotline opened in three countries."

# R39.2 has three lines; the private sector's is kept out of public view.
ROLLED_UP = "R39.2"


def line(code: str, actor: str) -> FollowUpLine:
    return FollowUpLine.objects.get(recommendation__code=code, actor__key=actor)


def record(user, target: FollowUpLine, status: str, note: str, *, publish=False, day=10, **kw):
    target.refresh_from_db()
    return services.status_update_record(
        line_id=target.pk,
        user=user,
        status=status,
        note=note,
        effective_date=datetime.date(2014, 1, day),
        evidence_links=kw.get("links", []),
        seen_version=target.update_count,
        publish=publish,
    )


def body(response) -> bytes:
    """The whole body, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


def json_rows(response) -> list[dict]:
    return json.loads(body(response))
