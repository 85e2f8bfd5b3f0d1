"""Who is calling: a personal token in `Authorization: Bearer htk_...`, or the browser's
session (for the docs page's "Try it out", with Django's CSRF check on writes). A token
anywhere in the query string is refused before anything else is read."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import authentication

from .problems import AuthProblem, Problem
from .services import TOKEN_PREFIX, token_find, token_used

# Parameter names under which clients commonly send credentials.
CREDENTIAL_PARAMETERS = {"token", "access_token", "api_token", "api_key", "apikey", "key", "auth"}

REFUSALS = {
    "unknown": gettext_lazy("This token is not known: check that it was copied whole."),
    "revoked": gettext_lazy("This token was revoked by its owner."),
    "expired": gettext_lazy("This token expired; make a new one on the preferences page."),
    "inactive": gettext_lazy("This token's account is deactivated."),
}


def refuse_token_in_query(request) -> None:
    """Problem `token-in-query` (400) for a credential in the query string."""
    for name, values in request.GET.lists():
        if name.lower() in CREDENTIAL_PARAMETERS or any(TOKEN_PREFIX in v for v in values):
            raise Problem("token-in-query")


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise AuthProblem(
                "token-invalid", _("Send one token after Bearer, with no spaces in it.")
            )
        try:
            plain = header[1].decode("ascii")
        except UnicodeDecodeError:
            plain = ""
        token = token_find(plain)
        now = timezone.now()
        state = token.state(now) if token is not None else "unknown"
        if state != "working":
            raise AuthProblem("token-invalid", REFUSALS[state])
        token_used(token, now)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The logged-in browser session, CSRF-checked on writes as every form is."""
