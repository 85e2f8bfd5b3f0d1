"""`/healthz` for load balancers and container health checks.

200 `ok` when the database answers (and the cache, when it is a server of its own: a
set and a get; a local-memory, database, file or dummy cache is not checked), 503
`unavailable` when not; the failure is logged by its class only.

Served by the first middleware of MIDDLEWARE, before anything else runs: no HTTPS
redirect (a load balancer probes over plain HTTP), no host check (it probes by internal
IP, not a name in ALLOWED_HOSTS), no session, no CSRF, no login. GET and HEAD only.
"""

import logging
import uuid

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.http import HttpResponse

from .access import HEADER, bind_request_id

PATH = "/healthz"
LOCAL_CACHES = (LocMemCache, DatabaseCache, FileBasedCache, DummyCache)

logger = logging.getLogger(__name__)


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means down; its class is logged, never its text
        logger.error("Health check: the database does not answer (%s)", type(error).__name__)
        return False
    return True


def cache_answers() -> bool:
    """A set and a get on a cache server; True for a local cache, which has no server."""
    key, value = f"healthz:{uuid.uuid4().hex}", "ok"
    try:
        cache = caches[DEFAULT_CACHE_ALIAS]
        if isinstance(cache, LOCAL_CACHES):
            return True
        cache.set(key, value, timeout=10)
        answered = cache.get(key) == value
    except Exception as error:  # any failure means down; its class is logged, never its text
        logger.error("Health check: the cache does not answer (%s)", type(error).__name__)
        return False
    if not answered:
        logger.error("Health check: the cache did not return what was set")
    return answered


def health_response(request) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405, content_type="text/plain")
        response["Allow"] = "GET, HEAD"
    elif database_answers() and cache_answers():
        response = HttpResponse("ok\n", content_type="text/plain")
    else:
        response = HttpResponse("unavailable\n", status=503, content_type="text/plain")
    if request.method == "HEAD":
        response.content = b""
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    """Answer `/healthz` before any other middleware; pass every other request on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        request_id = bind_request_id(request)
        response = health_response(request)
        response[HEADER] = request_id
        return response
