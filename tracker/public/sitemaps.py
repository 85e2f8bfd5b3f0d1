"""/sitemap.xml (an index), its sections (django.contrib.sitemaps: every page in each
language, with its alternates), and /robots.txt.

Every address in them is on PUBLIC_BASE_URL, never on the request's Host header (Django's
own sitemap views write the request's). Each section is paged at LIMIT addresses, so a
page costs the same at 33 recommendations as at 267,000.
"""

from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language

from hearings.models import Actor, Chapter
from tracker.links import absolute_url

from . import selectors
from .serving import public_view
from .shares import withheld

LIMIT = 10_000


class _InEachLanguage:
    """(item, language) for each item and each language, read a page at a time: Django's
    sitemaps build that whole list in memory (267,000 recommendations, six languages)."""

    def __init__(self, items, languages):
        self.items, self.languages = items, languages

    def count(self):
        total = self.items.count() if hasattr(self.items, "filter") else len(self.items)
        return total * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, wanted):
        n = len(self.languages)
        first, last = wanted.start // n, -(-wanted.stop // n)
        pairs = [(item, code) for item in self.items[first:last] for code in self.languages]
        return pairs[wanted.start - first * n : wanted.stop - first * n]


class PublicSitemap(Sitemap):
    """Every page in each language, with the others and x-default (the address without a
    language, which redirects by the browser's) as its alternates."""

    limit = LIMIT
    i18n = True
    alternates = True
    x_default = True

    def _items(self):
        return _InEachLanguage(self.items(), self._languages())

    def get_protocol(self, protocol=None):
        return urlsplit(settings.PUBLIC_BASE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.PUBLIC_BASE_URL).netloc


class PagesSitemap(PublicSitemap):
    def items(self):
        return ["public:dashboard", "public:recommendations", "public:actors", "public:report"]

    def location(self, item):
        return reverse(item)


class RecommendationsSitemap(PublicSitemap):
    # Codes are letters, digits and dots: the address is the pattern's with the code put
    # in, rather than a reverse() per entry (10,000 of them on a page).
    PLACEHOLDER = "CODE"

    def items(self):
        return selectors.sitemap_codes()

    def location(self, item):
        patterns = self.__dict__.setdefault("_patterns", {})
        language = get_language()
        if language not in patterns:
            patterns[language] = reverse("public:recommendation", args=[self.PLACEHOLDER])
        return patterns[language].replace(self.PLACEHOLDER, quote(item))


class ActorsSitemap(PublicSitemap):
    def items(self):
        ids = selectors.actor_line_totals(selectors.public_sums(withheld()))
        return list(
            Actor.objects.filter(pk__in=list(ids)).order_by("key").values_list("key", flat=True)
        )

    def location(self, item):
        return reverse("public:actor", args=[item])


class ChaptersSitemap(PublicSitemap):
    def items(self):
        return list(Chapter.objects.order_by("order").values_list("numeral", flat=True))

    def location(self, item):
        return reverse("public:report-chapter", args=[item])


SITEMAPS = {
    "pages": PagesSitemap,
    "recommendations": RecommendationsSitemap,
    "actors": ActorsSitemap,
    "report": ChaptersSitemap,
}


def _xml(template, context):
    return HttpResponse(render_to_string(template, context), content_type="application/xml")


@public_view
def sitemap_index(request):
    addresses = []
    for section, sitemap_class in SITEMAPS.items():
        location = absolute_url(reverse("public-files:sitemap-section", args=[section]))
        pages = sitemap_class().paginator.num_pages
        addresses.append(location)
        addresses += [f"{location}?p={page}" for page in range(2, pages + 1)]
    return _xml("tracker/public/sitemap_index.xml", {"addresses": addresses})


@public_view
def sitemap_section(request, section):
    sitemap_class = SITEMAPS.get(section)
    if sitemap_class is None:
        return HttpResponseNotFound("No such sitemap.\n", content_type="text/plain")
    base = urlsplit(settings.PUBLIC_BASE_URL)
    try:
        urls = sitemap_class().get_urls(
            page=request.GET.get("p", 1), site=SimpleNamespace(domain=base.netloc)
        )
    except (EmptyPage, PageNotAnInteger):
        return HttpResponseNotFound("No such page of the sitemap.\n", content_type="text/plain")
    return _xml("tracker/public/sitemap.xml", {"urlset": urls})


ROBOTS_OFF = "User-agent: *\nDisallow: /\n"


def _robots_when_off(request):
    return HttpResponse(ROBOTS_OFF, content_type="text/plain; charset=utf-8")


@public_view(when_off=_robots_when_off)
def robots_txt(request):
    """Crawlers may read the public site (its pages, open data and feeds), nothing else:
    every other page asks for a login. While the site is off: nothing at all."""
    pages = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            pages.append(f"Allow: {reverse('public:dashboard')}")
    lines = [
        "User-agent: *",
        *pages,
        f"Allow: {reverse('public-files:unprefixed')}",
        "Allow: /data/",
        "Allow: /feeds/",
        "Disallow: /",
        "",
        f"Sitemap: {absolute_url(reverse('public-files:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
