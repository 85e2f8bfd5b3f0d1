"""The follow-up pages: the dashboard, the recommendations list and page, recording an
update, adding a line, a target date, and the report reader. Thin: permissions from
tracker.permissions, reads from tracker.selectors, writes from tracker.services. Every page
requires login."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hearings.models import Chapter, Paragraph, Recommendation

from . import charts, paging, selectors, services
from .filters import RecommendationFilter, figure_count_filters
from .forms import LineAddForm, StatusUpdateForm, TargetDateForm
from .models import STATUS_DESCRIPTIONS, FollowUpLine, Status
from .permissions import can_record_on, is_coordinator, represented_actor_ids, require_coordinator
from .publication.selectors import site_now


def _get_line_for_recording(request, line_id) -> FollowUpLine:
    line = get_object_or_404(
        FollowUpLine.objects.select_related("recommendation__paragraph", "actor"), pk=line_id
    )
    if not can_record_on(request.user, line):
        raise PermissionDenied
    return line


def _public_site_on() -> bool:
    """Whether to link to the public pages (a read only: site_now writes nothing)."""
    return site_now().is_on


def _status_rows(counts, skip_zero=False):
    """[(status, count)] in the vocabulary's order, for templates."""
    return [(s, counts.get(s.value, 0)) for s in Status if counts.get(s.value) or not skip_zero]


def _stale_message(user, newest) -> str:
    """Who recorded the newer update and when: "you" when it was this user elsewhere."""
    if newest is None:  # a form from nowhere (its version is ahead of the line's)
        return _("This form is out of date: reload the page and try again. Your text is kept.")
    when = formats.date_format(timezone.localtime(newest.recorded_at), "DATETIME_FORMAT")
    if newest.recorded_by_id == user.pk:
        return _(
            "You recorded an update on this line at %(when)s, in another tab or window, "
            "after you opened this form. Read it above; your text is kept: submit again "
            "to record this one too."
        ) % {"when": when}
    who = newest.recorded_by.get_full_name() or newest.recorded_by.get_username()
    return _(
        "%(who)s recorded an update on this line at %(when)s, after you opened the form. "
        "Read it above; your text is kept: submit again to record yours."
    ) % {"who": who, "when": when}


def _recorded_message(published: bool, site_on: bool) -> str:
    if not published:
        return _("Update recorded.")
    if site_on:
        return _("Update recorded. Its note is published: it shows on the public site.")
    return _(
        "Update recorded. Its note is published: it will show on the public site once a "
        "coordinator switches the site on."
    )


def _files_again(uploads) -> str:
    """Beside the files field when the form comes back: browsers never refill it."""
    names = ", ".join(f"“{upload.name}”" for upload in uploads)
    return _("Nothing was stored: attach %(names)s again before you submit.") % {"names": names}


@require_GET
@login_required
def dashboard(request):
    figures = selectors.dashboard(represented_actor_ids(request.user))
    return render(
        request,
        "tracker/dashboard.html",
        {
            **figures,
            "recommendation_rows": _status_rows(figures["recommendation_totals"]),
            "my_rows": _status_rows(figures.get("my_totals", {}), skip_zero=True),
            "theme_chart": charts.stacked_bars(figures["themes"]),
            "agenda_chart": charts.stacked_bars(figures["agenda_points"]),
            "gcm_chart": charts.stacked_bars(figures["gcm_objectives"]),
            "sdg_chart": charts.stacked_bars(figures["sdg_targets"]),
            "public_site_on": _public_site_on(),
        },
    )


@require_GET
@login_required
def recommendation_list(request):
    filterset = RecommendationFilter(
        request.GET, queryset=selectors.recommendations_for_list(), request=request
    )
    if not filterset.is_valid():
        return render(
            request,
            "tracker/recommendation_list.html",
            {"filter": filterset, "page": None, "statuses": Status},
            status=400,
        )
    query = request.GET.copy()
    for name in ("page", "after"):
        query.pop(name, None)
    data = filterset.form.cleaned_data
    try:
        page = paging.list_page(
            filterset.qs,
            request.GET,
            query=query.urlencode(),
            exact_count=_exact_count(data),
            # Restatements have no status of their own: "by status" across both kinds
            # has empty keys, which only numbered pages can step over.
            keyset=data.get("kind") == "main" or "status" not in "".join(data.get("sort") or []),
            rows_of=filterset.rows_of(selectors.recommendations_for_list()),
        )
    except paging.BadCursor as bad:
        filterset.form.add_error(None, bad.message)
        return render(
            request,
            "tracker/recommendation_list.html",
            {"filter": filterset, "page": None, "statuses": Status},
            status=400,
        )
    public_query = query.copy()
    public_query.pop("mine", None)
    return render(
        request,
        "tracker/recommendation_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "statuses": Status,
            "public_site_on": _public_site_on(),
            "public_query": public_query.urlencode(),
        },
    )


# Filters whose count the dashboard's figures hold: one group of these at a time.
def _exact_count(data):
    """The list's count from the dashboard's figures where they hold it, else None."""
    wanted = figure_count_filters(data)
    return None if wanted is None else selectors.main_recommendation_count(**wanted)


def _kept_out(row):
    """A recommendation's or a line's withholding (tracker.publication), None if public; read
    with the row (selectors.recommendation_detail)."""
    return getattr(row, "withholding", None)


@require_GET
@login_required
def recommendation_detail(request, code):
    try:
        rec = selectors.recommendation_detail(code)
    except Recommendation.DoesNotExist as exc:
        raise Http404(_("No recommendation with code %(code)s.") % {"code": code}) from exc
    lines = list(rec.follow_up_lines.all())
    for line in lines:
        line.can_record = can_record_on(request.user, line)
        line.kept_out = _kept_out(line)
    rec.kept_out = _kept_out(rec)
    rec.kept_out_with = rec.restates if rec.restates and _kept_out(rec.restates) else None
    return render(
        request,
        "tracker/recommendation_detail.html",
        {
            "rec": rec,
            "lines": lines,
            "is_coordinator": is_coordinator(request.user),
            "descriptions": STATUS_DESCRIPTIONS,
            "public_site_on": _public_site_on(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def line_update(request, line_id):
    line = _get_line_for_recording(request, line_id)
    # The "publish this note" box says when the public site is off (tracker.publication).
    site_on = site_now().is_on
    newer = []
    if request.method == "POST":
        form = StatusUpdateForm(request.POST, request.FILES, line=line, public_site_on=site_on)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.status_update_record(
                    line_id=line.pk,
                    user=request.user,
                    status=data["status"],
                    note=data["note"],
                    effective_date=data["effective_date"],
                    evidence_links=data["evidence_links"],
                    seen_version=data["version"],
                    corrects=data.get("corrects"),
                    evidence_files=data["evidence_files"],
                    publish=data["publish"],
                )
            except services.StaleLine as stale:
                newer = stale.newer
                form.add_error(None, _stale_message(request.user, newer[0] if newer else None))
                if data["evidence_files"]:
                    form.add_error("evidence_files", _files_again(data["evidence_files"]))
                # The next submission is against the version the user has now seen.
                line.refresh_from_db()
                data = form.data.copy()
                data["version"] = line.update_count
                form.data = data
            else:
                messages.success(request, _recorded_message(data["publish"], site_on))
                return redirect(
                    reverse("recommendation", args=[line.recommendation.code]) + f"#line-{line.pk}"
                )
        elif request.FILES.getlist("evidence_files") and "evidence_files" not in form.errors:
            form.add_error("evidence_files", _files_again(request.FILES.getlist("evidence_files")))
    else:
        # No status is chosen for the user: they say what the status is now.
        form = StatusUpdateForm(
            initial={"version": line.update_count, "effective_date": timezone.localdate()},
            line=line,
            public_site_on=site_on,
        )
    return render(
        request,
        "tracker/line_update.html",
        {"line": line, "form": form, "newer": newer, "rec": line.recommendation},
    )


@require_http_methods(["GET", "POST"])
@login_required
def line_add(request, code):
    require_coordinator(request.user)
    rec = get_object_or_404(Recommendation.objects.main(), code=code)
    form = LineAddForm(request.POST or None, recommendation=rec)
    if request.method == "POST" and form.is_valid():
        try:
            line = services.line_add(
                recommendation=rec,
                actor=form.cleaned_data["actor"],
                user=request.user,
                target_date=form.cleaned_data["target_date"],
                followed_since=form.cleaned_data["followed_since"],
            )
        except IntegrityError:
            form.add_error("actor", _("This actor already has a line."))
        else:
            messages.success(request, _("Line added for %(actor)s.") % {"actor": line.actor})
            return redirect(reverse("recommendation", args=[rec.code]) + f"#line-{line.pk}")
    return render(request, "tracker/line_add.html", {"rec": rec, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def line_target(request, line_id):
    require_coordinator(request.user)
    line = get_object_or_404(
        FollowUpLine.objects.select_related("recommendation", "actor"), pk=line_id
    )
    form = TargetDateForm(request.POST or None, initial={"target_date": line.target_date})
    if request.method == "POST" and form.is_valid():
        services.line_set_target_date(
            line=line, user=request.user, target_date=form.cleaned_data["target_date"]
        )
        messages.success(request, _("Target date saved."))
        return redirect(
            reverse("recommendation", args=[line.recommendation.code]) + f"#line-{line.pk}"
        )
    return render(request, "tracker/line_target.html", {"line": line, "form": form})


@require_GET
@login_required
def report_index(request):
    chapters = Chapter.objects.annotate(
        paragraph_count=Count("paragraphs", distinct=True),
        recommendation_count=Count("paragraphs__recommendations", distinct=True),
    ).prefetch_related("sections")
    return render(request, "tracker/report_index.html", {"chapters": chapters})


@require_GET
@login_required
def report_chapter(request, numeral):
    chapter = get_object_or_404(Chapter.objects.select_related("report"), numeral=numeral)
    paragraphs = (
        Paragraph.objects.filter(chapter=chapter)
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.current().select_related(
                    "progress", "restates__progress"
                ),
            )
        )
    )
    chapters = list(Chapter.objects.only("numeral", "title", "order"))
    index = [c.pk for c in chapters].index(chapter.pk)
    return render(
        request,
        "tracker/report_chapter.html",
        {
            "chapter": chapter,
            "paragraphs": paragraphs,
            "previous": chapters[index - 1] if index else None,
            "next": chapters[index + 1] if index + 1 < len(chapters) else None,
        },
    )


@require_GET
@login_required
def report_paragraph(request, number):
    paragraph = get_object_or_404(Paragraph.objects.select_related("chapter"), number=number)
    return redirect(
        reverse("report-chapter", args=[paragraph.chapter.numeral]) + f"#p{paragraph.number}"
    )
