"""Every public address, for the tests that visit them all."""

from tracker.evidence.models import EvidenceFile
from tracker.public.opendata.resources import RESOURCES

from .conftest import LINE_ACTOR, LINE_REC

PAGES = [
    "/en/public/",
    "/en/public/recommendations/",
    "/en/public/recommendations/?theme=rights&status=in-progress&sort=status",
    "/en/public/recommendations/?q=crisis&actor=civil-society",
    f"/en/public/recommendations/{LINE_REC}/",
    "/en/public/recommendations/R24.1/",
    "/en/public/actors/",
    f"/en/public/actors/{LINE_ACTOR}/",
    "/en/public/actors/ilo/",
    "/en/public/report/",
    "/en/public/report/chapters/VI/",
]
FILES = ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-recommendations.xml",
         "/sitemap-actors.xml", "/sitemap-report.xml", "/robots.txt"]  # fmt: skip
# The same pages in the other five languages (PAGES are in English, settings.LANGUAGE_CODE).
IN_OTHER_LANGUAGES = [
    "/fr/public/",
    "/ar/public/recommendations/?theme=rights",
    f"/zh-hans/public/recommendations/{LINE_REC}/",
    "/ru/public/actors/",
    "/es/public/report/chapters/VI/",
]
# The addresses without a language (redirected to the browser's), and a paragraph's.
UNPREFIXED = ["/public/", f"/public/recommendations/{LINE_REC}/", "/public/actors/?page=2"]
REDIRECTS = ["/en/public/report/paragraphs/42/", *UNPREFIXED]
# The open data and the feeds (tracker/public/opendata, tracker/public/feeds).
DATA = ["/data/", "/data/datapackage.json", "/data/lines.csv?as_of=2014-06-30",
        *(f"/data/{name}.{fmt}" for name in RESOURCES for fmt in ("csv", "json"))]  # fmt: skip
FEEDS = [
    "/feeds/updates/",
    f"/feeds/actors/{LINE_ACTOR}/",
    "/feeds/actors/governments/",
    "/feeds/themes/rights/",
    "/feeds/themes/labour/",
    "/feeds/gcm-objectives/gcm-7/",
]


def every_url() -> list[str]:
    """Pages (in English and in the other languages), files, redirects, open data, feeds,
    and the download of every evidence file there is."""
    downloads = [
        f"/en/public/evidence/{key}/" for key in EvidenceFile.objects.values_list("key", flat=True)
    ]
    return [*PAGES, *IN_OTHER_LANGUAGES, *FILES, *REDIRECTS, *DATA, *FEEDS, *downloads]
