"""The progress report as PDF: WeasyPrint renders templates/tracker/reports/pdf/report.html
with static/css/report.css, fetching nothing but the app's own static files."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import ngettext

from tracker import charts
from tracker.models import Status

from .document import ProgressReport, generated_text
from .languages import direction

# The same colours as the dashboard's charts (static/css/app.css, .seg--*), given as SVG
# fill attributes in the PDF.
STATUS_COLOURS = {
    Status.NO_INFORMATION: "#c4cbd3",
    Status.NOT_STARTED: "#e8a33d",
    Status.PLANNED: "#9b6cc9",
    Status.IN_PROGRESS: "#3f87c6",
    Status.PARTIALLY_IMPLEMENTED: "#2aa198",
    Status.IMPLEMENTED: "#2f8f4e",
    Status.WILL_NOT_BE_IMPLEMENTED: "#c9383e",
    Status.NO_LONGER_RELEVANT: "#7a7a7a",
}


def _bars(rows):
    bars = charts.stacked_bars([(group, {s.value: n for s, n in counts.items()})
                                for group, counts in rows])  # fmt: skip
    for bar in bars:
        for segment in bar["segments"]:
            segment["colour"] = STATUS_COLOURS[segment["status"]]
    return bars


def render_html(report: ProgressReport) -> str:
    return render_to_string(
        "tracker/reports/pdf/report.html",
        {
            "r": report,
            "options": report.options,
            "as_of": report.options.as_of,
            "hearing_date": report.hearing_date,
            "generated": generated_text(report),
            "theme_chart": _bars(report.by_theme),
            "agenda_chart": _bars(report.by_agenda_point),
            "group_charts": [(kind, _bars(rows)) for kind, rows in report.group_tables()[1:]],
            "colours": STATUS_COLOURS,
            # Bars start on the side the text does (the charts mirror in Arabic).
            "direction": direction(report.options.language),
        },
    )


def _static_only_fetcher():
    """A WeasyPrint URL fetcher for the report's own static files only: no network."""
    from weasyprint.urls import URLFetcher

    static_root = Path(settings.BASE_DIR, "static").resolve().as_uri()

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(("data:", static_root + "/")):
                raise ValueError(f"not fetched while rendering a report: {url}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher()


def write_pdf(report: ProgressReport, out, progress=None) -> None:
    """Render the report with WeasyPrint (imported here: the app runs without it loaded):
    laid out first, then written; `progress(step, percent)` hears the second step."""
    from weasyprint import CSS, HTML

    fetcher = _static_only_fetcher()
    stylesheet = CSS(filename=finders.find("css/report.css"), url_fetcher=fetcher)
    pages = HTML(
        string=render_html(report),
        base_url=Path(settings.BASE_DIR, "static").resolve().as_uri() + "/",
        url_fetcher=fetcher,
    ).render(stylesheets=[stylesheet])
    if progress:
        n = len(pages.pages)
        progress(ngettext("Writing %(n)s page", "Writing %(n)s pages", n) % {"n": n}, 80)
    pages.write_pdf(out)
