"""Fixtures of the open data and feed tests: a public site with published, unpublished and
withheld follow-up, each non-public fact carrying a marker (opendata_support.py).

A plugin of the test modules that use it (`pytest_plugins`), not a conftest, so that the
public pages' tests keep a conftest of their own; the fixtures' names say they are ours."""

import pytest
from django.contrib.auth import get_user_model

from tracker import services
from tracker.models import Profile
from tracker.publication import services as publication

from .opendata_support import (
    INTERNAL_NOTE,
    PUBLISHED_NOTE,
    RECORDER_EMAIL,
    RECORDER_NAME,
    ROLLED_UP,
    TARGET_DATE,
    WITHHELD_NOTE,
    WITHHELD_REC_NOTE,
    line,
    record,
)


@pytest.fixture
def opendata_recorder(loaded_report):
    user = get_user_model().objects.create_user(
        "recorder-marker", email=RECORDER_EMAIL, password="pw-for-tests",
        first_name=RECORDER_NAME, last_name=RECORDER_NAME,
    )  # fmt: skip
    Profile.objects.create(user=user, role="coordinator")
    return user


@pytest.fixture
def opendata_site(loaded_report):
    publication.site_set(user=None, is_on=True)


@pytest.fixture
def opendata_world(opendata_site, opendata_recorder):
    """Published, unpublished and withheld follow-up, with target dates set."""
    c = opendata_recorder
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
