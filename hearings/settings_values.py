"""Values of settings read from the environment that need more than a type: the public
origin (PUBLIC_BASE_URL), the shared cache (CACHE_URL) and values from a short list
(DIGEST_DEFAULT_FREQUENCY). Any other value is a clear ImproperlyConfigured, naming the
variable, at start."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


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
