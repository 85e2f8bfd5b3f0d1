"""Counters in the shared cache (`CACHES["default"]`: the database, or Redis), for
throttles: how many times something happened for a key in a window of time.

Keys are hashed, so an e-mail address or a user name never appears in the cache. With
Redis the increments are atomic; with the database cache two simultaneous requests may
count once, which a throttle tolerates.
"""

import hashlib
import math
import time

from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(str(value).encode("utf-8", "surrogatepass")).hexdigest()
    return f"throttle:{scope}:{digest}"


def _increment(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        count = 1
    # The database cache's incr rewrites the entry with the default timeout: set ours again.
    cache.touch(key, timeout)
    return count


def hit(scope: str, value: str, *, limit: int, window: int) -> bool:
    """Count one hit for value in a fixed window of `window` seconds; True while the
    count is within `limit` (the hit that goes over is already refused)."""
    now = time.time()
    bucket = int(now // window)
    remaining = max(1, math.ceil((bucket + 1) * window - now))
    return _increment(f"{_key(scope, value)}:{bucket}", remaining) <= limit


def count(scope: str, value: str) -> int:
    """The count kept by `record` for value (0 when nothing is kept)."""
    return cache.get(_key(scope, value), 0)


def record(scope: str, value: str, *, window: int) -> int:
    """Count one event for value; the count is forgotten `window` seconds after the last
    event. Returns the new count."""
    return _increment(_key(scope, value), window)


def claim(scope: str, value: str, seconds: int) -> float:
    """Take the one turn that value has for the next `seconds`: 0 when taken now,
    otherwise the seconds left until the current turn ends."""
    key = _key(f"{scope}-turn", value)
    ends = time.time() + seconds
    if cache.add(key, ends, seconds):
        return 0
    taken = cache.get(key)
    if taken is None:  # the turn ended just now
        return 0 if cache.add(key, ends, seconds) else 1
    return max(0.0, taken - time.time()) or 0.001


def forget(scope: str, value: str) -> None:
    """Drop the count and the turn kept for value."""
    cache.delete_many([_key(scope, value), _key(f"{scope}-turn", value)])
