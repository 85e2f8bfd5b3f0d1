"""Sessions end after `SESSION_IDLE_MINUTES` without a request.

The session's expiry (SESSION_COOKIE_AGE, the same span) is pushed forward at most once a
minute: the time of the last refresh is kept in the session (set at login, in the write
that login makes anyway), and the session is written again only when that time is a
minute old, not on every request. A session idle for longer is ended here too, whatever
the session store says.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import ngettext

REFRESHED_AT = "tracker_refreshed_at"
REFRESH_EVERY_SECONDS = 60


@receiver(user_logged_in)
def _start_the_count(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[REFRESHED_AT] = time.time()


class IdleSessionMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            refreshed = request.session.get(REFRESHED_AT)
            idle = settings.SESSION_IDLE_MINUTES * 60
            if refreshed is not None and time.time() - refreshed > idle:
                logout(request)
                messages.info(
                    request,
                    ngettext(
                        "You were logged out after %(minutes)d minute without activity.",
                        "You were logged out after %(minutes)d minutes without activity.",
                        settings.SESSION_IDLE_MINUTES,
                    )
                    % {"minutes": settings.SESSION_IDLE_MINUTES},
                )
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # A user signed in by the session, not by an API token (tracker.api sets the
        # request's user too): a token's request never starts a session.
        if user is not None and user.is_authenticated and SESSION_KEY in request.session:
            refreshed = request.session.get(REFRESHED_AT)
            now = time.time()
            if refreshed is None or now - refreshed >= REFRESH_EVERY_SECONDS:
                request.session[REFRESHED_AT] = now  # marks the session to be saved
        return response
