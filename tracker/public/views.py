"""The public site's pages (/public/): no login, only public facts.

Every view is wrapped by serving.public_view (the switch, GET only, conditional GET, the
shared cache, the throttle). Pages are rendered without the request, so no context
processor runs: no session, user, CSRF token or message is read (and
serving.PublicRequestMiddleware hides the session from every middleware too).
"""

from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hearings.models import Actor, Chapter, Paragraph, Recommendation
from tracker import charts, paging
from tracker.evidence import services as evidence_services
from tracker.evidence.models import EvidenceFile
from tracker.evidence.views import SANDBOX_CSP
from tracker.filters import figure_count_filters
from tracker.languages import language_options
from tracker.links import absolute_url
from tracker.models import STATUS_DESCRIPTIONS, Status
from tracker.notice import DEMO_NOTICE, is_demo
from tracker.publication import visibility

from . import selectors
from .filters import PublicRecommendationFilter
from .serving import public_view
from .shares import withheld

# The dashboard's chart of lines per actor shows this many actors; the rest are a link away.
CHART_ACTORS = 12


def _page(
    request, template, context, *, title, section="", description="", status=200, query=False
):
    """Render a public page, with its canonical URL and Open Graph metadata on
    PUBLIC_BASE_URL (never the request's Host)."""
    path = request.get_full_path() if query else request.path
    found = status < 400
    context = {
        **context,
        # The same page in each language; none for an address that is not a page.
        "languages": _languages(path) if found else [],
        "x_default": absolute_url(_unprefixed(path)),
        "site": request.public_site,
        "demo_notice": DEMO_NOTICE if is_demo() else "",
        "page_title": title,
        "current_section": section,
        "meta": {
            "title": title,
            "description": Truncator(description or _default_description()).chars(300),
            # An answer that is not a page of the site is no one's canonical address.
            "canonical": absolute_url(path) if found else "",
            "type": context.get("og_type", "website"),
        },
    }
    return HttpResponse(render_to_string(template, context), status=status)


def _languages(path):
    """The same page in each language, for the switcher and the hreflang links."""
    pages = []
    for option in language_options():
        there = translate_url(path, option["code"])
        pages.append({**option, "path": there, "url": absolute_url(there)})
    return pages


def _unprefixed(path):
    """The page's address without its language: it redirects by the browser's (x-default)."""
    prefix = f"/{get_language()}/"
    return "/" + path.removeprefix(prefix) if path.startswith(prefix) else path


def _default_description() -> str:
    return _(
        "How far the follow-up of the recommendations of the 2013 UN hearings on "
        "international migration and development has come, actor by actor."
    )


def _not_found(request, message):
    return _page(
        request, "tracker/public/not_found.html", {"message": message}, title=_("Not found"),
        status=404,
    )  # fmt: skip


def _status_rows(counts, skip_zero=False):
    return [(s, counts.get(s.value, 0)) for s in Status if counts.get(s.value) or not skip_zero]


@public_view
def dashboard(request):
    figures = selectors.dashboard(request.public_site, withheld())
    actor_bars = [
        (_Group(actor.local_name, reverse("public:actor", args=[actor.key])), counts)
        for actor, counts in figures["actors"][:CHART_ACTORS]
    ]
    return _page(
        request,
        "tracker/public/dashboard.html",
        {
            **figures,
            "recommendation_rows": _status_rows(figures["recommendation_totals"]),
            "line_rows": _status_rows(figures["line_totals"]),
            "theme_chart": charts.stacked_bars(
                [(_Group(t.local_title, None, t.number), c) for t, c in figures["themes"]]
            ),
            "agenda_chart": charts.stacked_bars(
                [(_Group(p.local_title, None, p.number), c) for p, c in figures["agenda_points"]]
            ),
            "gcm_chart": _framework_chart(figures["gcm_objectives"], "gcm"),
            "sdg_chart": _framework_chart(figures["sdg_targets"], "sdg"),
            "actor_chart": charts.stacked_bars(actor_bars),
            "more_actors": max(0, len(figures["actors"]) - CHART_ACTORS),
        },
        title=_("How far follow-up has come"),
        section="dashboard",
    )


class _Group:
    """A chart's row: its title, its number if any, a link if any, and a short label with
    the title as a tooltip (Global Compact objectives, SDG targets)."""

    def __init__(self, title, url=None, number=None, short_label=""):
        self.local_title, self.url = title, url  # as the catalogue's rows name it
        self.number, self.short_label = number, short_label


def _framework_chart(rows, name):
    """Bars per objective or target, each linked to the public list filtered by it."""
    list_url = reverse("public:recommendations")
    return charts.stacked_bars(
        [
            (_Group(g.local_title, f"{list_url}?{name}={g.key}", short_label=g.short_label), counts)
            for g, counts in rows
        ]
    )


@public_view
def recommendation_list(request):
    site = request.public_site
    shares = withheld()
    filterset = PublicRecommendationFilter(
        request.GET,
        queryset=selectors.recommendations_for_list(),
        shares=shares,
        target_dates_public=site.target_dates_public,
    )
    query = request.GET.copy()
    for name in ("page", "after"):
        query.pop(name, None)
    context = {"filter": filterset, "page": None, "query": query.urlencode()}
    title = _("Recommendations")
    if not filterset.is_valid():
        return _page(request, "tracker/public/recommendation_list.html", context, title=title,
                     section="recommendations", status=400, query=True)  # fmt: skip
    data = filterset.form.cleaned_data
    try:
        context["page"] = paging.list_page(
            filterset.qs,
            request.GET,
            query=query.urlencode(),
            exact_count=_exact_count(data, shares),
            keyset=data.get("kind") == "main" or "status" not in "".join(data.get("sort") or []),
            rows_of=filterset.rows_of(selectors.recommendations_for_list()),
        )
    except paging.BadCursor as bad:
        filterset.form.add_error(None, bad.message)
        return _page(request, "tracker/public/recommendation_list.html", context, title=title,
                     section="recommendations", status=400, query=True)  # fmt: skip
    selectors.with_public_status(context["page"].object_list, shares)
    return _page(
        request,
        "tracker/public/recommendation_list.html",
        context,
        title=title,
        section="recommendations",
        query=True,
    )


def _exact_count(data, shares):
    """The count from the public figures where they hold them (the staff list's rule)."""
    wanted = figure_count_filters(data)
    if wanted is None:
        return None
    return selectors.count_from_figures(selectors.public_sums(shares), **wanted)


@public_view
def recommendation_detail(request, code):
    try:
        rec = selectors.recommendation_detail(code)
    except Recommendation.DoesNotExist:
        return _not_found(
            request, _("No public recommendation with code %(code)s.") % {"code": code}
        )
    selectors.with_public_status([rec], withheld())
    return _page(
        request,
        "tracker/public/recommendation_detail.html",
        {
            "rec": rec,
            "status_description": STATUS_DESCRIPTIONS.get(rec.public_status, ""),
            "og_type": "article",
        },
        title=f"{rec.code} {rec.local_title}",
        section="recommendations",
        description=rec.text,
    )


@public_view
def actor_list(request):
    rows = selectors.actors_with_lines(selectors.public_sums(withheld()))
    rows.sort(key=lambda row: row[0].local_name.casefold())
    return _page(
        request,
        "tracker/public/actor_list.html",
        {"rows": [(actor, sum(c.values()), _status_rows(c, skip_zero=True)) for actor, c in rows]},
        title=_("Actors"),
        section="actors",
        description=_(
            "Every actor the recommendations ask something of, and how far each has come."
        ),
    )


@public_view
def actor_detail(request, key):
    actor = Actor.objects.filter(key=key).first()
    if actor is None:
        return _not_found(request, _("No actor with key %(key)s.") % {"key": key})
    counts = selectors.actor_line_totals(selectors.public_sums(withheld())).get(actor.pk) or {}
    try:
        page = paging.list_page(
            selectors.actor_lines(actor), request.GET, query="", exact_count=sum(counts.values())
        )
    except paging.BadCursor:
        return _not_found(request, str(paging.BadCursor.message))
    title = _("What was asked of %(actor)s, and how far it has come") % {"actor": actor.local_name}
    return _page(
        request,
        "tracker/public/actor_detail.html",
        {
            "actor": actor,
            "page": page,
            "query": "",
            "status_rows": _status_rows(counts, skip_zero=True),
            "line_count": sum(counts.values()),
            "mentions": selectors.actor_mentions(actor),
        },
        title=title,
        section="actors",
        query=True,
    )


@public_view
def report_index(request):
    return _page(
        request,
        "tracker/public/report_index.html",
        {"chapters": selectors.report_index()},
        title=_("The report, chapter by chapter"),
        section="report",
    )


@public_view
def report_chapter(request, numeral):
    chapter = Chapter.objects.filter(numeral=numeral).first()
    if chapter is None:
        return _not_found(request, _("No chapter %(numeral)s.") % {"numeral": numeral})
    paragraphs = selectors.report_chapter(chapter)
    shares = withheld()
    for paragraph in paragraphs:
        selectors.with_public_status(paragraph.public_recommendations, shares)
    return _page(
        request,
        "tracker/public/report_chapter.html",
        {
            "chapter": chapter,
            "paragraphs": paragraphs,
            "around": selectors.chapters_around(chapter),
        },
        title=f"{chapter.numeral}. {chapter.title}",
        section="report",
    )


@public_view
def report_paragraph(request, number):
    paragraph = Paragraph.objects.select_related("chapter").filter(number=number).first()
    if paragraph is None:
        return _not_found(request, _("No paragraph %(number)s.") % {"number": number})
    return HttpResponseRedirect(
        reverse("public:report-chapter", args=[paragraph.chapter.numeral]) + f"#p{number}"
    )


@public_view
def evidence_download(request, key):
    """A published note's evidence file: only while its note is published, on a public
    line, and the file not withdrawn; 404 otherwise (nothing says why)."""
    evidence_file = EvidenceFile.objects.filter(
        key=key, withdrawn_at__isnull=True, update__in=visibility.published_updates()
    ).first()
    if evidence_file is None:
        return _not_found(request, _("No public evidence file at this address."))
    try:
        stream = evidence_services.storage().open(evidence_file.stored_name, "rb")
    except FileNotFoundError:
        return _not_found(request, _("This file is not available."))
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=evidence_file.original_name,
        content_type=evidence_file.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    return response
