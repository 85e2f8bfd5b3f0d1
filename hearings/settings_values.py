"""Values of settings read from the environment that need more than a type: the public
origin (PUBLIC_BASE_URL), the database (DATABASE_URL, SQLite tuned), the shared cache
(CACHE_URL) and the background jobs' engine (JOBS_BACKEND, JOBS_REDIS_URL). Any other
value is a clear ImproperlyConfigured, naming the variable, at start."""

import copy
import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# SQLite (README, "Background jobs"): readers never wait for the one writer (WAL), a
# transaction takes the write lock when it begins rather than half-way (where SQLite can
# only fail), and a writer waits this long for the lock, e.g. behind a long import,
# before "database is locked".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}
# The one queue background jobs go through; RQ stops a job running longer than this.
JOBS_QUEUE = "default"
RQ_JOB_TIMEOUT_SECONDS = 3 * 3600


def public_origin(value: str) -> str:
    """PUBLIC_BASE_URL as scheme://host[:port]; anything else is a clear error."""
    parts = urlsplit(value.strip())
    try:
        port_readable = parts.port is None or parts.port > 0
    except ValueError:
        port_readable = False
    if (
        not port_readable
        or parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
    ):
        raise ImproperlyConfigured(
            "PUBLIC_BASE_URL must be the address users open, scheme and host only (for "
            f"example https://tracker.example.org), not {value!r}."
        )
    return f"{parts.scheme}://{parts.netloc}"


def cache_from_url(url: str) -> dict:
    """CACHES["default"], shared by every process: the database's cache table
    (`manage.py createcachetable`) when CACHE_URL is unset, Redis for redis:// or rediss://."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            "KEY_PREFIX": "hearings",
            # Culling drops a third of the entries: keep throttle counters out of its reach.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(
            "CACHE_URL must be a redis:// or rediss:// URL, or unset for the database cache; "
            f"its scheme is {scheme!r}."
        )
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "hearings",
    }


def database_config(url: str, **kwargs) -> dict:
    """DATABASES["default"] for a DATABASE_URL, SQLite with SQLITE_OPTIONS."""
    config = dj_database_url.parse(url, **kwargs)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


def with_progress_alias(databases: dict) -> dict:
    """A second alias, "jobs", on the same database: a job writes its progress through it
    while its own transaction is still open (tracker/jobs/running.py)."""
    return {**databases, "jobs": copy.deepcopy(databases["default"])}


def tasks_config(backend: str, redis_url: str) -> tuple[dict, dict]:
    """TASKS (the Tasks API's backend) and django-rq's RQ_QUEUES for JOBS_BACKEND."""
    if backend == "database":
        return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                            "QUEUES": [JOBS_QUEUE]}}, {}  # fmt: skip
    if backend != "rq":
        raise ImproperlyConfigured(f"JOBS_BACKEND must be database or rq, not {backend!r}.")
    if urlsplit(redis_url).scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(
            "JOBS_BACKEND=rq needs JOBS_REDIS_URL, a redis:// or rediss:// URL (for example "
            "redis://127.0.0.1:6379/1)."
        )
    queues = {JOBS_QUEUE: {"URL": redis_url, "DEFAULT_TIMEOUT": RQ_JOB_TIMEOUT_SECONDS}}
    return {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [JOBS_QUEUE]}}, queues


def env_positive_int(name: str, default: int) -> int:
    """An environment variable that must be a whole number, 1 or more."""
    value = os.getenv(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number, 1 or more, not {value!r}.")
    return int(value)
