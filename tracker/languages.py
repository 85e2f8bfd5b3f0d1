"""The six UN languages (settings.LANGUAGES): whose language a page or an e-mail is in.

- Staff pages: the user's profile language if they chose one, else Django's choice (the
  language cookie the switcher sets, then the browser's Accept-Language).
- Public pages: the language in the address (/fr/public/...), nothing else; an address
  without one is redirected by the browser's Accept-Language alone (no cookie is read).
- E-mails: the recipient's profile language, else settings.LANGUAGE_CODE.
"""

from django.conf import settings
from django.utils.translation import get_language_info, get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header


def profile_language(user) -> str:
    """The language a signed-in user chose (Profile.language), or "" for the browser's."""
    if user is None or not user.is_authenticated:
        return ""
    profile = getattr(user, "profile", None)
    return getattr(profile, "language", "") or ""


def recipient_language(user) -> str:
    """The language of an e-mail to `user`: theirs, else the site's."""
    return profile_language(user) or settings.LANGUAGE_CODE


def accepted_language(request) -> str:
    """The first of the six languages the browser accepts (Accept-Language only, never the
    cookie or the session), else settings.LANGUAGE_CODE."""
    header = request.headers.get("Accept-Language", "")
    for code, _quality in parse_accept_lang_header(header[:1000]):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def language_choices() -> list[tuple[str, str]]:
    """(code, its name in itself) of each language: the menus' choices (العربيّة, 中文...)."""
    return [(option["code"], option["name_local"]) for option in language_options()]


def language_options() -> list[dict]:
    """The switchers' options: each language's code and its name in itself."""
    return [
        {"code": code, "name_local": get_language_info(code)["name_local"]}
        for code, _name in settings.LANGUAGES
    ]
