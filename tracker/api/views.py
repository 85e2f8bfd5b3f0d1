"""The token pages, reached from the preferences page: make a token (shown once, on the
answer to the POST, never stored or sent again) and revoke one of your own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tracker.links import absolute_url

from . import services
from .forms import TokenForm


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def token_new(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, plain = services.token_create(
                user=request.user, name=data["name"], scope=data["scope"], days=data["days"]
            )
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            # The one time the token is shown: this answer is never cached (never_cache).
            context = {
                "token": token,
                "plain": plain,
                "api_root": absolute_url(reverse("api-root")),
            }
            return render(request, "tracker/api/token_created.html", context)
    return render(request, "tracker/api/token_new.html", {"form": form})


@require_POST
@login_required
def token_revoke(request, token_id):
    if services.token_revoke(user=request.user, token_id=token_id):
        messages.success(request, _("Token revoked: it no longer works."))
    return redirect("preferences")
