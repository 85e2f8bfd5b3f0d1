"""Real processes for the tests, in fresh interpreters on this test database (committed
rows: transactional tests): `manage.py jobs_worker` with the engine the test chose, or
any other command or script."""

import contextlib
import signal
import subprocess
import sys
import time

from django.db import connection

from tests.fresh_django import ROOT, environment


def database_url() -> str:
    """This test database as a DATABASE_URL, for another process."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    auth = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    host = f"{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{config['NAME']}"


def process_env(media_root, **changes) -> dict[str, str]:
    changes = {"DJANGO_SETTINGS_MODULE": "hearings.settings", "DATABASE_URL": database_url(),
               "MEDIA_ROOT": str(media_root), **changes}  # fmt: skip
    return environment(removed=["DEMO", "CACHE_URL", "JOBS_BACKEND", "JOBS_REDIS_URL"], **changes)


@contextlib.contextmanager
def started(args: list[str], env: dict[str, str], log_path):
    """A process running `args` (after the interpreter) until the block ends, then
    stopped as an operator would (SIGTERM), killed if it does not stop."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, *args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(condition, *, timeout=90, what="", log_path=None):
    """Poll `condition()` until it is true; fail with the process's log if it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    log = log_path.read_text()[-4000:] if log_path else ""
    raise AssertionError(f"still waiting for {what} after {timeout} s\n{log}")
