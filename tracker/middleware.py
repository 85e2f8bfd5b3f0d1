from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.shortcuts import render
from django.utils import timezone, translation

from hearings.text import unsafe_character
from tracker.languages import profile_language


class UserLanguageMiddleware:
    """Staff pages in the language the user chose (Profile.language), after
    AuthenticationMiddleware and PublicRequestMiddleware (a public request's user is
    anonymous: its address decides). Without a choice, LocaleMiddleware's stands (the
    switcher's cookie, then Accept-Language). LocaleMiddleware writes Content-Language
    from the active language, so it says the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = profile_language(getattr(request, "user", None))
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """Show times in the user's own time zone (Profile.time_zone), stored in UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
            zone = getattr(profile, "time_zone", "") if profile else ""
        try:
            if zone:
                timezone.activate(ZoneInfo(zone))
            else:
                timezone.deactivate()
        except ZoneInfoNotFoundError:
            timezone.deactivate()
        return self.get_response(request)


class HostileRequestMiddleware:
    """A path or query string that no page could mean (a NUL, another character that
    hearings.text refuses, in a key or a value) gets the 400 page before any view or the
    database sees it: such input never reaches a query (PostgreSQL refuses NUL in text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _unreadable(request):
            if not request.path_info.startswith("/api/"):
                return render(request, "400.html", status=400)
            # The API answers it as one of its problems, before it reads anything
            # (tracker.api.base), as every error of the API is.
            request.unreadable = True
        return self.get_response(request)


def _unreadable(request) -> bool:
    if unsafe_character(request.path):
        return True
    return any(
        unsafe_character(key) or any(unsafe_character(value) for value in values)
        for key, values in request.GET.lists()
    )
