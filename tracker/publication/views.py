"""The publication pages, for coordinators only (403 for anyone else, checked here and
again in the services): the Public site page (the switch, target dates, what is kept out
of public view, published notes counted) and the buttons of a recommendation's timeline
(publish or withdraw a note, keep a recommendation or a line out of public view, let it
back). Every change is a POST that ends in a confirmation message; django-auditlog's
middleware names the user in the audit entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearings.models import Recommendation
from tracker.models import FollowUpLine, StatusUpdate
from tracker.permissions import require_coordinator

from . import selectors, services
from .forms import SwitchForm, WithholdForm

PAGE = "tracker/publication/site.html"
# Where a "let back" button sends the coordinator back to: the page it was pressed on.
FROM_SITE_PAGE = "public-site"


def _site_page(request, *, status=200, error=""):
    recommendations, lines = selectors.withholdings()
    return render(
        request,
        PAGE,
        {
            "site": selectors.site_now(),
            "notes": selectors.note_counts(),
            "withheld_recommendations": recommendations,
            "withheld_lines": lines,
            "error": error,
        },
        status=status,
    )


@require_GET
@login_required
def public_site(request):
    require_coordinator(request.user)
    return _site_page(request)


def _switch(request, field: str, words: dict):
    require_coordinator(request.user)
    form = SwitchForm(request.POST)
    if not form.is_valid():
        return _site_page(request, status=400, error=form.errors["state"][0])
    changed = services.site_set(user=request.user, **{field: form.is_on})
    if changed:
        messages.success(request, words[form.is_on])
    else:
        messages.info(request, words["same", form.is_on])
    return redirect("public-site")


@require_POST
@login_required
def site_switch(request):
    return _switch(
        request,
        "is_on",
        {
            True: _(
                "The public site is on. Anyone can now read the catalogue, the report, each "
                "line's status and the published notes, without logging in."
            ),
            False: _(
                "The public site is off: nothing is public now. Published notes stay published "
                "and show again when the site is switched back on."
            ),
            ("same", True): _("The public site was already on: nothing changed."),
            ("same", False): _("The public site was already off: nothing changed."),
        },
    )


@require_POST
@login_required
def target_dates_switch(request):
    return _switch(
        request,
        "target_dates_public",
        {
            True: _(
                "Target dates are public now, with the overdue and stale figures and lists "
                "that follow from them (while the public site is on)."
            ),
            False: _(
                "Target dates are private again: the public site shows no target date, nor "
                "which lines are overdue or stale."
            ),
            ("same", True): _("Target dates were already public: nothing changed."),
            ("same", False): _("Target dates were already private: nothing changed."),
        },
    )


# ---------------------------------------------------------------- notes on the timeline


def _update_for_coordinator(request, update_id) -> StatusUpdate:
    require_coordinator(request.user)
    return get_object_or_404(
        StatusUpdate.objects.select_related("line__recommendation", "line__actor"), pk=update_id
    )


def _timeline_url(update) -> str:
    code = update.line.recommendation.code
    return reverse("recommendation", args=[code]) + f"#update-{update.pk}"


def _note_words(update) -> dict:
    return {
        "date": formats.date_format(update.effective_date, "DATE_FORMAT"),
        "actor": update.line.actor.local_name,
    }


@require_POST
@login_required
def update_publish(request, update_id):
    update = _update_for_coordinator(request, update_id)
    words = _note_words(update)
    if not services.note_publish(update=update, user=request.user):
        messages.info(
            request, _("The note of %(date)s was already public: nothing changed.") % words
        )
        return redirect(_timeline_url(update))
    text = (
        _(
            "The note of %(date)s for %(actor)s is published: it and its evidence show on the "
            "public site, under %(actor)s, never under who recorded it."
        )
        % words
    )
    if not selectors.site_now().is_on:
        text += " " + _(
            "The public site is off: the note will show once a coordinator switches it on "
            "(the Public site page)."
        )
    messages.success(request, text)
    return redirect(_timeline_url(update))


@require_POST
@login_required
def update_withdraw(request, update_id):
    update = _update_for_coordinator(request, update_id)
    words = _note_words(update)
    if services.note_withdraw(update=update, user=request.user):
        messages.success(
            request,
            _(
                "The note of %(date)s for %(actor)s is withdrawn from public view (and from the "
                "feeds). The update itself stays in the history, as it was."
            )
            % words,
        )
    else:
        messages.info(request, _("The note of %(date)s was not public: nothing changed.") % words)
    return redirect(_timeline_url(update))


# ---------------------------------------------------------------- keeping out of public view


def _recommendation_target(request, code):
    require_coordinator(request.user)
    rec = get_object_or_404(Recommendation, code=code)
    return {
        "target": {"recommendation": rec},
        "name": rec.code,
        "back": reverse("recommendation", args=[rec.code]) + "#public-view",
        "rec": rec,
        "line": None,
    }


def _line_target(request, line_id):
    require_coordinator(request.user)
    line = get_object_or_404(
        FollowUpLine.objects.select_related("recommendation", "actor"), pk=line_id
    )
    return {
        "target": {"line": line},
        "name": _("the line of %(code)s for %(actor)s")
        % {"code": line.recommendation.code, "actor": line.actor.local_name},
        "back": reverse("recommendation", args=[line.recommendation.code]) + f"#line-{line.pk}",
        "rec": line.recommendation,
        "line": line,
    }


def _withhold(request, about):
    form = WithholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kept = services.withhold(
                user=request.user, reason=form.cleaned_data["reason"], **about["target"]
            )
        except ValidationError as refused:
            form.add_error("reason", refused)
            return _withhold_page(request, about, form)
        if kept is None:
            messages.info(
                request,
                _("%(name)s was already kept out of public view: nothing changed.")
                % {"name": about["name"]},
            )
        elif about["line"] is None:
            messages.success(
                request,
                _(
                    "%(name)s is kept out of public view, with its restatements, its lines and "
                    "their notes. Staff pages show it as before."
                )
                % {"name": about["name"]},
            )
        else:
            messages.success(
                request,
                _(
                    "%(name)s is kept out of public view, with its notes; the rest of the "
                    "recommendation stays public."
                )
                % {"name": _capfirst(about["name"])},
            )
        return redirect(about["back"])
    return _withhold_page(request, about, form)


def _withhold_page(request, about, form):
    return render(
        request,
        "tracker/publication/withhold.html",
        {**about, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _release(request, about):
    if services.release(user=request.user, **about["target"]):
        messages.success(
            request,
            _("%(name)s is back in public view (while the public site is on).")
            % {"name": _capfirst(about["name"])},
        )
    else:
        messages.info(
            request,
            _("%(name)s was not kept out of public view: nothing changed.")
            % {"name": _capfirst(about["name"])},
        )
    if request.POST.get("return_to") == FROM_SITE_PAGE:
        return redirect(reverse("public-site") + "#kept-out")
    return redirect(about["back"])


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


@require_http_methods(["GET", "POST"])
@login_required
def recommendation_withhold(request, code):
    return _withhold(request, _recommendation_target(request, code))


@require_POST
@login_required
def recommendation_release(request, code):
    return _release(request, _recommendation_target(request, code))


@require_http_methods(["GET", "POST"])
@login_required
def line_withhold(request, line_id):
    return _withhold(request, _line_target(request, line_id))


@require_POST
@login_required
def line_release(request, line_id):
    return _release(request, _line_target(request, line_id))
