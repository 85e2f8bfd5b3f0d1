"""Run Django in a fresh interpreter (as manage.py, gunicorn or cron would), with this
process's environment changed: the settings are read anew, which a test's own process
cannot do. `production_env` is production's environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Variables of this process that would change what the settings decide.
CLEARED = {
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "BEHIND_TLS_PROXY", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_COOKIES", "LOG_FORMAT",
    "LOG_LEVEL", "EMAIL_BACKEND", "PUBLIC_BASE_URL", "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by tests/conftest.py for the browser tests
}  # fmt: skip


def production_env(**changes: str | None) -> dict[str, str]:
    """A production environment (DEBUG off, a real key, a TLS proxy, SMTP mail), with
    `changes` applied; a change to None removes the variable."""
    env = {name: value for name, value in os.environ.items() if name not in CLEARED}
    env.update(
        DJANGO_SETTINGS_MODULE="hearings.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="tracker.example.org",
        PUBLIC_BASE_URL="https://tracker.example.org",
        BEHIND_TLS_PROXY="true",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def environment(*, removed=(), **changes: str) -> dict[str, str]:
    """This process's environment, less the variables `removed`, with `changes` set."""
    env = {name: value for name, value in os.environ.items() if name not in set(removed)}
    env.update(changes)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`manage.py args` in a fresh interpreter."""
    return run(["manage.py", *args], env)


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run `code` after django.setup()."""
    return run(["-c", f"import django\ndjango.setup()\n{code}"], env)
