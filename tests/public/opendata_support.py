"""Fixtures and helpers for the open data and feed tests: a public site with published,
unpublished and withheld follow-up, each non-public fact carrying a marker to search for.

Imported by the test modules (`from .opendata_support import ...`), not a conftest, so
that the public pages' tests keep a conftest of their own."""

import csv
import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model

from tracker import services
from tracker.models import FollowUpLine, Profile
from tracker.publication import services as publication

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


@pytest.fixture
def coordinator(loaded_report):
    user = get_user_model().objects.create_user(
        "recorder-marker", email=RECORDER_EMAIL, password="pw-for-tests",
        first_name=RECORDER_NAME, last_name=RECORDER_NAME,
    )  # fmt: skip
    Profile.objects.create(user=user, role="coordinator")
    return user


@pytest.fixture
def site_on(loaded_report):
    publication.site_set(user=None, is_on=True)


@pytest.fixture
def world(site_on, coordinator):
    """Published, unpublished and withheld follow-up, with target dates set."""
    c = coordinator
    public = record(
        c, line("R30a", "governments"), "in-progress", PUBLISHED_NOTE, publish=True,
        links=["https://example.org/evidence/hotline"],
    )  # fmt: skip
    internal = record(c, line("R30a", "governments"), "planned", INTERNAL_NOTE, day=20)
    services.line_set_target_date(line=line("R30a", "governments"), user=c, target_date=TARGET_DATE)
    record(c, line(ROLLED_UP, "governments"), "implemented", "Done.", publish=True)
    record(c, line(ROLLED_UP, "international-community"), "implemented", "Done too.")
    withheld_line = line(ROLLED_UP, "private-sector")
    withheld = record(c, withheld_line, "in-progress", WITHHELD_NOTE, publish=True)
    publication.withhold(user=c, line=withheld_line, reason="Sensitive talks")
    rec_line = line("R24.1", "governments")
    withheld_rec = record(c, rec_line, "planned", WITHHELD_REC_NOTE, publish=True)
    publication.withhold(user=c, recommendation=rec_line.recommendation, reason="Pending")
    return {"public": public, "internal": internal, "withheld": withheld,
            "withheld_rec": withheld_rec}  # fmt: skip


def body(response) -> bytes:
    """The whole body, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


def json_rows(response) -> list[dict]:
    return json.loads(body(response))
