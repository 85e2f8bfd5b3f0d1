"""Every public address, for the tests that visit them all."""

from tracker.evidence.models import EvidenceFile
from tracker.public.opendata.resources import RESOURCES

from .conftest import LINE_ACTOR, LINE_REC

PAGES = [
    "/public/",
    "/public/recommendations/",
    "/public/recommendations/?theme=rights&status=in-progress&sort=status",
    "/public/recommendations/?q=crisis&actor=civil-society",
    f"/public/recommendations/{LINE_REC}/",
    "/public/recommendations/R24.1/",
    "/public/actors/",
    f"/public/actors/{LINE_ACTOR}/",
    "/public/actors/ilo/",
    "/public/report/",
    "/public/report/chapters/VI/",
]
FILES = ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-recommendations.xml",
         "/sitemap-actors.xml", "/sitemap-report.xml", "/robots.txt"]  # fmt: skip
REDIRECTS = ["/public/report/paragraphs/42/"]
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
    """Pages, files, redirects, open data, feeds, and the download of every evidence file
    there is."""
    downloads = [
        f"/public/evidence/{key}/" for key in EvidenceFile.objects.values_list("key", flat=True)
    ]
    return [*PAGES, *FILES, *REDIRECTS, *DATA, *FEEDS, *downloads]
