"""The account pages: coordinators list, create and change accounts (role, actors,
active) and unlock user names locked out after failed logins; everyone sets their own
preferences. Every page requires login, except the throttled password reset."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponseBadRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from tracker import links, throttles
from tracker.clients import client_address
from tracker.models import Profile
from tracker.permissions import require_coordinator

from .forms import AccountForm, PasswordResetForm, PreferencesForm, UnlockForm
from .lockouts import locked_names
from .services import (
    AccountData,
    account_invite,
    account_save,
    login_unlock,
    preferences_save,
)


@require_GET
@login_required
def account_list(request):
    require_coordinator(request.user)
    accounts = (
        get_user_model()
        .objects.select_related("profile")
        .prefetch_related("profile__actors")
        .order_by("-is_active", "username")
    )
    context = {"accounts": accounts, "locked_names": locked_names()}
    return render(request, "tracker/accounts/account_list.html", context)


@require_POST
@login_required
def account_unlock(request):
    require_coordinator(request.user)
    form = UnlockForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["username"]
        login_unlock(user=request.user, username=name)
        messages.success(request, _("User name %(name)s unlocked.") % {"name": name})
    return redirect("accounts")


@require_http_methods(["GET", "POST"])
@login_required
def account_edit(request, user_id=None):
    require_coordinator(request.user)
    account = None
    initial = {"is_active": True}
    if user_id is not None:
        account = get_object_or_404(get_user_model(), pk=user_id)
        profile = Profile.objects.filter(user=account).first()
        initial = {
            "username": account.username,
            "email": account.email,
            "first_name": account.first_name,
            "last_name": account.last_name,
            "role": profile.role if profile else "viewer",
            "actors": list(profile.actors.all()) if profile else [],
            "is_active": account.is_active,
        }
    form = AccountForm(request.POST or None, initial=initial, account=account)
    if request.method == "POST" and form.is_valid():
        data = AccountData(**form.cleaned_data)
        try:
            saved = account_save(user=request.user, data=data, account=account)
        except IntegrityError:
            # Checked by the form; another coordinator may have been quicker (the database's
            # unique indexes on user names and e-mail addresses in any case).
            form.add_error(None, _("Another account has this user name or e-mail address."))
        except PermissionDenied:
            if account is not None and account.pk == request.user.pk and not data.is_active:
                form.add_error("is_active", _("You cannot deactivate your own account."))
            else:
                form.add_error(
                    None,
                    _(
                        "You cannot take away your own coordinator role, and only an "
                        "administrator changes an administrator's account."
                    ),
                )
        else:
            if account is None:
                account_invite(account=saved)
                messages.success(
                    request,
                    _("Account %(name)s created; a link to set a password was e-mailed.")
                    % {"name": saved.username},
                )
            else:
                messages.success(request, _("Account %(name)s saved.") % {"name": saved.username})
            return redirect("accounts")
    return render(request, "tracker/accounts/account_form.html", {"form": form, "account": account})


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    profile, _created = Profile.objects.get_or_create(user=request.user)
    initial = {"language": profile.language, "time_zone": profile.time_zone}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        preferences_save(
            user=request.user, language=language, time_zone=form.cleaned_data["time_zone"]
        )
        with translation.override(language or translation.get_language()):
            messages.success(request, _("Preferences saved."))
        return _remember_language(redirect("preferences"), language)
    return render(request, "tracker/accounts/preferences.html", {"form": form})


@require_POST
def language_choose(request):
    """The language switcher of every staff page: Django's set_language (the language
    cookie, then back to `next`, a page of this site), and for a signed-in user their
    profile's language too, so that every page and e-mail follows it."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(
            _("No such language: choose one of %(codes)s.")
            % {"codes": ", ".join(code for code, _name in settings.LANGUAGES)},
            content_type="text/plain; charset=utf-8",
        )
    if request.user.is_authenticated:
        preferences_save(user=request.user, language=language)
    if request.POST.get("next"):
        request.POST = request.POST.copy()
        request.POST["next"] = _without_cursor(request.POST["next"])
    return set_language(request)


def _without_cursor(next_url: str) -> str:
    """`next` without a list's keyset cursor (`after`), its filters and sort kept: the
    cursor holds a place in the list's order, and that order follows the language (titles
    sort in each language's order), so in another language the list starts at the top."""
    parts = urlsplit(next_url)
    query = QueryDict(parts.query, mutable=True)
    if "after" not in query:
        return next_url
    del query["after"]
    return urlunsplit(parts._replace(query=query.urlencode()))


def _remember_language(response, language: str):
    """The language cookie as set_language writes it; none for "from the browser"."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
        )
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, throttled per e-mail address and per client address
    (PASSWORD_RESET_PER_EMAIL_PER_HOUR, PASSWORD_RESET_PER_ADDRESS_PER_HOUR, in the shared
    cache), with its link on PUBLIC_BASE_URL. Known or unknown address, throttled or not,
    the answer is the same redirect; a throttled request sends nothing. The e-mail is in
    its recipient's language."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().casefold()
        allowed = throttles.hit(
            "reset-address",
            client_address(self.request) or "?",
            limit=settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR,
            window=3600,
        ) and throttles.hit(
            "reset-email", email, limit=settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR, window=3600
        )
        if allowed:
            origin = links.email_context()
            form.save(
                domain_override=origin["domain"],
                use_https=origin["protocol"] == "https",
                token_generator=self.token_generator,
                from_email=self.from_email,
                email_template_name=self.email_template_name,
                subject_template_name=self.subject_template_name,
                request=self.request,
                html_email_template_name=self.html_email_template_name,
                extra_email_context=self.extra_email_context,
            )
        return HttpResponseRedirect(self.get_success_url())
