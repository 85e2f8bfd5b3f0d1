"""Shared fixtures: the loaded report, a writable copy of the data files, and a browser."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

# pytest-django's live_server runs Django's sync ORM next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A private copy of hearings/data/ that a test may edit before loading it."""
    target = tmp_path / "data"
    shutil.copytree(settings.REPORT_DATA_DIR, target)
    return target


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database (one per xdist worker), with the report and its catalogue loaded
    once for the whole session: each test runs in a transaction rolled back after it, so
    every test starts from the freshly loaded report. Returns that first load's result."""
    from hearings.loading import load_report

    with django_db_blocker.unblock():
        return load_report()


@pytest.fixture
def loaded_report(db, django_db_setup):
    """The report and its catalogue in the test database; the result of loading them.

    Loaded once per session (django_db_setup). A transactional test (the browser tests)
    empties the database after it; pytest-django runs those last, and a test after one
    loads the report again here."""
    from hearings.loading import load_report
    from hearings.models import Report

    if Report.objects.exists():
        return django_db_setup
    return load_report()


@pytest.fixture
def empty_database(db):
    """A database as fresh from migrations, for tests of the first load: the session's
    report, catalogue and their audit entries are removed inside the test's transaction
    (and come back when it is rolled back)."""
    from auditlog.models import LogEntry

    from hearings import models as report
    from tracker.models import FollowUpLine, RecommendationProgress

    FollowUpLine.objects.all().delete()
    report.Recommendation.objects.filter(restates__isnull=False).delete()
    for model in (
        report.Recommendation,
        report.Actor,
        report.AgendaPoint,
        report.Theme,
        report.Paragraph,
        report.Report,
    ):
        model.objects.all().delete()
    # Deleting addressees makes tracker.receivers refresh the roll-ups of their recommendations.
    RecommendationProgress.objects.all().delete()
    LogEntry.objects.all().delete()


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many accounts; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
