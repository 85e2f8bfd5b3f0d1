"""How every public response is served: `public_view` wraps each public view.

- The site is off until a coordinator switches it on (tracker.publication): then 404.
- GET and HEAD only; no session is read and no CSRF cookie set, so no cookie is sent.
- Conditional GET: the ETag is the public version (moved in the transaction of every
  write that changes public content), the public settings and the language, so a 304 is
  answered from one small read, before any page is rendered.
- A shared cache (CACHES["default"], the database or Redis, as every app server shares)
  keyed on that ETag and the full path: a write moves the version, and every cached
  page is stale at once. Streaming downloads are not cached, only revalidated.
- Throttled per client address (tracker.clients): PUBLIC_RATE requests a minute.
- Pages carry their language in the address (/fr/public/...); an address without one is
  redirected by the browser's Accept-Language (`language_redirect`).

`PublicRequestMiddleware` (after AuthenticationMiddleware) serves every request for a
public view as to an anonymous visitor, before any other middleware reads the session:
no session is read or saved, so no cookie is set and no `Vary: Cookie` splits the
shared cache, for visitors and logged-in staff alike.
"""

import functools
import hashlib

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import (
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseRedirect,
)
from django.template.loader import render_to_string
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tracker import throttles
from tracker.clients import client_address
from tracker.languages import accepted_language
from tracker.publication import versions, visibility

CACHE_SECONDS = 24 * 60 * 60
THROTTLE_WINDOW = 60


def public_etag(site) -> str:
    """The version, the public settings, the language, and when the switch last changed:
    a database emptied and filled again (a test's flush) counts its version from zero,
    and that last part keeps its pages apart from those cached before. (A restored backup
    brings its own: clear the cache after a restore.)"""
    version = versions.current()
    flags = "t" if site.target_dates_public else "p"
    changed = int(site.changed_at.timestamp() * 1000) if site.changed_at else 0
    return f'"public-{version}-{flags}-{get_language()}-{changed:x}"'


def _not_modified(request, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return etag in {tag.strip() for tag in wanted.split(",")} or wanted.strip() == "*"


def _throttled() -> HttpResponse:
    response = HttpResponse(
        _("Too many requests: wait a minute and try again.") + "\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(THROTTLE_WINDOW)
    return response


def _site_off(request, *args, **kwargs) -> HttpResponse:
    """The 404 of every public address while the site is off: a page of the public look,
    rendered without the request (Django's own 404 page would read the staff session's
    messages), and saying no more than "not found"."""
    meta = {"title": _("Not found"), "description": "", "canonical": "", "type": "website"}
    context = {"meta": meta, "site_off": True, "message": _("There is no public page here.")}
    return HttpResponseNotFound(render_to_string("tracker/public/not_found.html", context))


def public_view(view=None, *, when_off=None):
    """Serve `view` publicly (see the module's docstring). The view receives the public
    site's settings as `request.public_site`. `when_off`, a view, answers instead of the
    404 while the site is off (robots.txt: crawl nothing)."""
    if view is None:
        return functools.partial(public_view, when_off=when_off)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        client = client_address(request) or "unknown"
        if not throttles.hit("public", client, limit=settings.PUBLIC_RATE, window=THROTTLE_WINDOW):
            return _throttled()
        site = visibility.site()
        if not site.is_on:
            return (when_off or _site_off)(request, *args, **kwargs)
        request.public_site = site
        etag = public_etag(site)
        if _not_modified(request, etag):
            response = HttpResponse(status=304)
        else:
            response = _cached_or_rendered(request, etag, view, args, kwargs)
        response["ETag"] = etag
        # Shared caches may keep it; every use is checked against the ETag first.
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        # The language is the address's (/fr/public/...): no Vary on Accept-Language for
        # the pages; LocaleMiddleware adds it to the files at the root (and /data/).
        return response

    wrapper.public = True
    return wrapper


def language_redirect(request, rest=""):
    """/public/... without a language: 302 to the same page in the browser's language
    (Accept-Language alone, never a cookie: tracker.languages), `Vary: Accept-Language`,
    and no cookie set (a public view: PublicRequestMiddleware hides the session). While
    the site is off, the page it leads to answers 404 (LocaleMiddleware would turn a 404
    here into its own redirect, by the cookie too)."""
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    client = client_address(request) or "unknown"
    if not throttles.hit("public", client, limit=settings.PUBLIC_RATE, window=THROTTLE_WINDOW):
        return _throttled()
    language = accepted_language(request)
    response = HttpResponseRedirect(
        f"{get_script_prefix()}{language}{request.get_full_path_info()}"
    )
    patch_vary_headers(response, ["Accept-Language"])
    return response


language_redirect.public = True


def _cache_key(request, etag: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogatepass")).hexdigest()
    return f"public-page:{etag}:{path}"


def _cached_or_rendered(request, etag, view, args, kwargs):
    key = _cache_key(request, etag)
    kept = cache.get(key)
    if kept is not None:
        content, content_type = kept
        return HttpResponse(content, content_type=content_type)
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if response.status_code == 200 and not response.streaming:
        cache.set(key, (response.content, response["Content-Type"]), CACHE_SECONDS)
    return response


class _NoSession(dict):
    """A public request's session: empty, never read from the store nor saved.
    SessionMiddleware sees it neither accessed nor modified (no Set-Cookie, no Vary:
    Cookie) and not empty (so a logged-in visitor's cookie is left alone, not deleted).
    SESSION_SAVE_EVERY_REQUEST stays off (tracker.accounts.sessions refreshes sessions)."""

    accessed = modified = False

    def is_empty(self) -> bool:
        return False


def is_public_request(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "public", False)


class PublicRequestMiddleware:
    """Right after AuthenticationMiddleware: a request for a public view gets an anonymous
    user and no session, before the idle-session, time-zone and audit middlewares (which
    would read the session, and refresh it for staff) see it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_public_request(request):
            request.user = AnonymousUser()
            request.session = _NoSession()
        return self.get_response(request)
