"""The pages of reminders and requests: a coordinator requests an update on a line; anyone
logged in chooses how often they get the digest; the one-click unsubscribe link of every
digest (RFC 8058: a POST stops it without logging in, opening the link only shows the
choice); coordinators look back on every e-mail sent or attempted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.models import FollowUpLine
from tracker.permissions import require_coordinator

from . import selectors, services, tokens
from .filters import DeliveryFilter
from .forms import DigestFrequencyForm
from .models import Frequency

PAGE_SIZE = 50


def _names(users) -> str:
    return ", ".join(user.get_full_name() or user.get_username() for user in users)


@require_POST
@login_required
def line_request_update(request, line_id):
    require_coordinator(request.user)
    line = get_object_or_404(
        FollowUpLine.objects.select_related("recommendation", "actor"), pk=line_id
    )
    try:
        outcome = services.update_request_create(line=line, user=request.user)
    except services.RequestRefused as refused:
        messages.error(request, refused.message)
    else:
        if outcome.sent:
            messages.success(
                request,
                _("Update requested from %(actor)s: e-mailed to %(names)s.")
                % {"actor": line.actor.name, "names": _names(outcome.sent)},
            )
        if outcome.failed:
            messages.error(
                request,
                _(
                    "The e-mail to %(names)s could not be sent; the request is on the "
                    "line's history, and the error on the page of e-mails sent."
                )
                % {"names": _names(user for user, _error in outcome.failed)},
            )
    return redirect(reverse("recommendation", args=[line.recommendation.code]) + f"#line-{line.pk}")


@require_http_methods(["GET", "POST"])
@login_required
def digest_frequency(request):
    """The choice on its own page; the preferences page shows the same form, posting here."""
    if request.method == "POST":
        form = DigestFrequencyForm(request.POST)
        if form.is_valid():
            services.digest_frequency_set(
                user=request.user, frequency=form.cleaned_data["frequency"]
            )
            messages.success(request, _("Digest choice saved."))
            return redirect(reverse("preferences") + "#digest")
        status = 400
    else:
        form = DigestFrequencyForm.for_choice(services.frequency_chosen(request.user))
        status = 200
    return render(request, "tracker/notifications/frequency.html", {"form": form}, status=status)


# The link is the authority (signed for one person): a mail program posts to it without a
# session or CSRF token (RFC 8058), and so does the page's own button.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token):
    user = tokens.user_from_token(token)
    if user is None:
        return render(request, "tracker/notifications/unsubscribe_invalid.html", status=400)
    context = {"person": user, "token": token}
    if request.method == "POST":
        services.digest_frequency_set(user=user, frequency=Frequency.NEVER, through_link=True)
        return render(request, "tracker/notifications/unsubscribed.html", context)
    context["stopped"] = services.frequency_chosen(user) == Frequency.NEVER
    return render(request, "tracker/notifications/unsubscribe.html", context)


@require_GET
@login_required
def deliveries(request):
    require_coordinator(request.user)
    filterset = DeliveryFilter(request.GET, queryset=selectors.deliveries())
    if not filterset.is_valid():
        context = {"filter": filterset, "page": None}
        return render(request, "tracker/notifications/deliveries.html", context, status=400)
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tracker/notifications/deliveries.html",
        {
            "filter": filterset,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "query": query.urlencode(),
        },
    )
