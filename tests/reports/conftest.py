"""Fixtures of the export tests that run real office software (tests/reports/office.py)."""

import os

import pytest


@pytest.fixture(scope="session")
def office_profile(tmp_path_factory) -> str:
    """A LibreOffice user profile private to this test worker and run, as a file URI (two
    instances sharing a profile hand their work to each other, or fail)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return tmp_path_factory.mktemp(f"lo-profile-{worker}").as_uri()
