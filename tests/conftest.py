"""Shared fixtures: the loaded report, a writable copy of the data files, and a browser."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

# pytest-django's live_server runs Django's sync ORM next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property-based tests (tests/test_hostile_input.py): bounded and the same at every run in
# CI; HYPOTHESIS_PROFILE=dev explores more, and finds new examples each time.
hypothesis_settings.register_profile(
    "ci", max_examples=40, derandomize=True, deadline=None, database=None, print_blob=True
)
hypothesis_settings.register_profile("dev", max_examples=400, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite's test database in a file (one per xdist worker), not in memory, as
    db.sqlite3 is: background workers run in processes of their own and must share it."""
    path = tmp_path_factory.mktemp("database") / "test.sqlite3"
    for config in settings.DATABASES.values():  # "default" and its "jobs" alias alike
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A private Redis server on a free loopback port (Debian's redis-server, which
    `make test` installs), one per xdist worker, stopped after the tests: no shared service
    is needed, and each worker has its own queues."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: run `make test`, which installs it.")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(  # noqa: S603 - a fixed binary and arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def jobs_here(settings, monkeypatch, tmp_path):
    """Background jobs run in this process, inside the test's transaction: their progress
    goes through the test's own connection (no other can see the test's rows; the second
    connection is tested by tests/jobs/test_progress.py), their files to a private folder."""
    from tracker.jobs import running

    monkeypatch.setattr(running, "PROGRESS_DATABASE", "default")
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


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
    """A database as fresh from migrations, for tests of the first load: every row of the
    hearings, tracker and notifications tables and of the audit log is removed inside the
    test's transaction (and comes back when it is rolled back). Raw deletes: no signal runs,
    and the foreign keys, deferred to the end of the transaction, hold again once all are
    gone."""
    from auditlog.models import LogEntry
    from django.apps import apps
    from django.db import connection

    models = [
        *apps.get_app_config("publication").get_models(include_auto_created=True),
        *apps.get_app_config("notifications").get_models(include_auto_created=True),
        *apps.get_app_config("evidence").get_models(include_auto_created=True),
        *apps.get_app_config("tracker").get_models(include_auto_created=True),
        *apps.get_app_config("hearings").get_models(include_auto_created=True),
        LogEntry,
    ]
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a model's own table name


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


@pytest.fixture(autouse=True)
def evidence_storage(settings, tmp_path_factory):
    """Evidence files go to a private folder per test, never to the project's media/."""
    root = tmp_path_factory.mktemp("evidence")
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root
