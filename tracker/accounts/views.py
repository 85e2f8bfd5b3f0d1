"""The account pages: coordinators list, create and change accounts (role, actors,
active); everyone sets their own preferences. Every page requires login."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tracker.models import Profile
from tracker.permissions import require_coordinator

from .forms import AccountForm, TimeZoneForm
from .services import AccountData, account_invite, account_save


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
    return render(request, "tracker/accounts/account_list.html", {"accounts": accounts})


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
                account_invite(request=request, account=saved)
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
    form = TimeZoneForm(request.POST or None, initial={"time_zone": profile.time_zone})
    if request.method == "POST" and form.is_valid():
        profile.time_zone = form.cleaned_data["time_zone"]
        profile.save(update_fields=["time_zone"])
        messages.success(request, _("Preferences saved."))
        return redirect("preferences")
    return render(request, "tracker/accounts/preferences.html", {"form": form})
