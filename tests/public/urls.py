"""Every public address, for the tests that visit them all."""

from tracker.evidence.models import EvidenceFile

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


def every_url() -> list[str]:
    """Pages, files, redirects, and the download of every evidence file there is."""
    downloads = [
        f"/public/evidence/{key}/" for key in EvidenceFile.objects.values_list("key", flat=True)
    ]
    return [*PAGES, *FILES, *REDIRECTS, *downloads]
