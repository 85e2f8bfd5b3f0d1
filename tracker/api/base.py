"""What every API endpoint does before and after its own work, in this order: refuse a
token in the query string, authenticate, count the request against its rate, decide
whether the caller may read (anonymous: only while the public site is on) or write (a
read-write token, or the session), then answer; reads carry an ETag and answer 304 to
a matching If-None-Match.

Anonymous reads: the ETag is the public version (tracker.publication.versions, moved in
the transaction of every write to public content), the public settings, the language and
the day (overdue moves with the clock), so a 304 costs two small reads; the body is kept
in the shared cache under that ETag and the full path. Authenticated reads: the ETag is
the body's SHA-256 (what a user may read depends on more than the public version)."""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext_lazy
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from tracker import throttles
from tracker.clients import client_address
from tracker.permissions import role_of
from tracker.publication import versions, visibility

from .authentication import SessionAuthentication, TokenAuthentication, refuse_token_in_query
from .models import ApiToken
from .problems import AuthProblem, Problem, exception_handler
from .selectors import Caller

RATE_WINDOW = 60
UNREADABLE = gettext_lazy(
    "The address holds a control character that no parameter can take "
    "(tracker.middleware refuses such addresses everywhere)."
)
CACHE_SECONDS = 24 * 60 * 60


class RateLimit(BaseThrottle):
    """API_RATE_TOKEN requests a minute per token (or per session user), API_RATE_ANON
    per anonymous client address; counted in the shared cache (tracker.throttles)."""

    def allow_request(self, request, view):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None:
            scope, key, limit = "api-token", token.pk, settings.API_RATE_TOKEN
        elif request.user.is_authenticated:
            scope, key, limit = "api-user", request.user.pk, settings.API_RATE_TOKEN
        else:
            scope, key = "api-anon", client_address(request) or "unknown"
            limit = settings.API_RATE_ANON
        return throttles.hit(scope, str(key), limit=limit, window=RATE_WINDOW)

    def wait(self):
        now = time.time()
        return max(1, math.ceil((int(now // RATE_WINDOW) + 1) * RATE_WINDOW - now))


class CallerMay(BasePermission):
    """Staff read everything; they write with the session or a read-write token (what
    they may write is the endpoint's own check). Anonymous callers read while the public
    site is on, and never write."""

    def has_permission(self, request, view):
        if role_of(request.user) is not None:
            token = request.auth
            writes = request.method not in SAFE_METHODS
            if writes and isinstance(token, ApiToken) and not token.can_write:
                raise Problem("read-only-token")
            return True
        if request.method not in SAFE_METHODS:
            raise AuthProblem("not-authenticated")
        request.public_site = visibility.site()
        if not request.public_site.is_on:
            raise AuthProblem("public-site-off")
        return True


def _matches(request, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return wanted.strip() == "*" or etag in {tag.strip() for tag in wanted.split(",")}


class ApiView(APIView):
    """The base of every endpoint: subclasses write `read` (GET, HEAD) and `post`."""

    # No OPTIONS: the API is same-origin only (no CORS), and the document describes it.
    http_method_names = ["get", "head", "post"]
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [CallerMay]
    throttle_classes = [RateLimit]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    def get_exception_handler(self):
        return exception_handler

    def initial(self, request, *args, **kwargs):
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(
            request
        )
        request.version, request.versioning_scheme = self.determine_version(
            request, *args, **kwargs
        )
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        if getattr(request, "unreadable", False):
            raise Problem("invalid-request", errors={"request": [UNREADABLE]})
        refuse_token_in_query(request)
        self.perform_authentication(request)
        self.check_throttles(request)
        self.check_permissions(request)
        self.caller = Caller.of(request)

    def get(self, request, *args, **kwargs):
        if self.caller.public:
            site = request.public_site
            flags = "t" if site.target_dates_public else "p"
            etag = (
                f'"api-{versions.current()}-{flags}-{get_language()}-{timezone.localdate():%Y%m%d}"'
            )
            request.api_etag = etag
            if _matches(request, etag):
                return HttpResponseNotModified()
            path = request.get_full_path().encode("utf-8", "surrogatepass")
            request.api_cache_key = f"api:{etag}:{hashlib.sha256(path).hexdigest()}"
            kept = cache.get(request.api_cache_key)
            if kept is not None:
                request.api_cache_key = None
                return HttpResponse(kept, content_type="application/json")
        return self.read(request, *args, **kwargs)

    def read(self, request, *args, **kwargs):
        raise NotImplementedError

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in SAFE_METHODS and response.status_code in (200, 304):
            if response.status_code == 200:
                if hasattr(response, "render"):
                    response.render()
                etag = getattr(request, "api_etag", None)
                if etag is None:
                    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
                key = getattr(request, "api_cache_key", None)
                if key:
                    cache.set(key, response.content, CACHE_SECONDS)
                if _matches(request, etag):
                    response = HttpResponseNotModified()
            else:
                etag = request.api_etag
            response["ETag"] = etag
            public = getattr(self, "caller", None) is not None and self.caller.public
            response["Cache-Control"] = (
                "public, max-age=0, must-revalidate" if public else "private, no-cache"
            )
        patch_vary_headers(response, ["Authorization", "Cookie", "Accept-Language"])
        return response
