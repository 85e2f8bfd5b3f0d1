"""Values of settings read from the environment that need more than a type: the public
origin (PUBLIC_BASE_URL), the database (DATABASE_URL, SQLite tuned), the shared cache
(CACHE_URL), the background jobs' engine (JOBS_BACKEND, JOBS_REDIS_URL), where evidence
files go (EVIDENCE_STORAGE) and values from a short list (DIGEST_DEFAULT_FREQUENCY). Any
other value is a clear ImproperlyConfigured, naming the variable, at start."""

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


# tracker.notifications.models.Frequency's values (settings cannot import models; a test
# keeps the two the same).
DIGEST_FREQUENCIES = ("weekly", "monthly", "never")


def choice(name: str, default: str, allowed) -> str:
    """The variable `name` if it is one of `allowed` (any case), else a clear error."""
    value = (os.getenv(name) or default).strip().lower()
    if value not in allowed:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(allowed)}, not {value!r}.")
    return value


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


def evidence_storage(kind: str, root, environ) -> dict:
    """STORAGES["evidence"]: the filesystem under `root` (EVIDENCE_STORAGE unset or
    `filesystem`), or an S3-compatible bucket through django-storages (`s3`, the optional
    extra `pip install .[s3]`; credentials as boto3 finds them: AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY, or the machine's role). Never served by URL: downloads go
    through the app (tracker.evidence.views)."""
    kind = (kind or "filesystem").strip().lower()
    if kind == "filesystem":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            # Readable by the app's user only; nothing in this folder is served by URL.
            "OPTIONS": {
                "location": str(root),
                "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700,
            },
        }
    if kind != "s3":
        raise ImproperlyConfigured(f"EVIDENCE_STORAGE must be filesystem or s3, not {kind!r}.")
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        raise ImproperlyConfigured(
            "EVIDENCE_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (and AWS_S3_ENDPOINT_URL for "
            "a store other than Amazon's)."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            "location": environ.get("AWS_LOCATION", "evidence"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
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


def env_bool(name: str, default: bool) -> bool:
    """true/false, yes/no, on/off, 1/0; anything else is refused."""
    value = os.getenv(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list."""
    value = os.getenv(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# OPEN_DATA_LICENCE: the open data's licence by its SPDX identifier, with the title and
# address the data package and /data/ give (tracker/public/opendata/). Another licence
# is added here, with its own words.
OPEN_DATA_LICENCES = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "ODC-By-1.0": (
        "Open Data Commons Attribution License v1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License v1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "PDDL-1.0": (
        "Open Data Commons Public Domain Dedication & License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
}


def open_data_licence(value: str) -> str:
    """OPEN_DATA_LICENCE as one of OPEN_DATA_LICENCES' identifiers (any case)."""
    wanted = (value or "").strip().lower()
    for identifier in OPEN_DATA_LICENCES:
        if identifier.lower() == wanted:
            return identifier
    raise ImproperlyConfigured(
        f"OPEN_DATA_LICENCE must be one of {', '.join(OPEN_DATA_LICENCES)}, not {value!r}."
    )


def logging_config(log_format: str, level: str) -> dict:
    """Logs on stdout: one JSON object per line (`json`) or a readable line (`text`)."""
    if log_format not in {"json", "text"}:
        raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "tracker.ops.logs.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "tracker.ops.logs.JsonFormatter"},
            "text": {"()": "tracker.ops.logs.TextFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Through the root's handler only (Django's defaults add their own).
            "django": {"handlers": [], "level": level},
            # runserver's request lines: the access line (tracker.access) replaces them.
            "django.server": {"handlers": [], "level": "WARNING"},
            # At DEBUG it logs every SQL statement with its values: never.
            "django.db.backends": {"level": "INFO"},
            # WeasyPrint logs every page it lays out at INFO.
            "weasyprint.progress": {"level": "WARNING"},
        },
    }
