"""What an export is: the selection (the recommendations list's filters, main
recommendations only), the date it is "as of", the format and the layout; its file name;
and the checks that refuse an export too large for the route it was asked on."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hearings.models import Recommendation
from hearings.translation import active_language
from tracker.filters import RecommendationFilter, actors_meant
from tracker.models import FollowUpLine, Status
from tracker.notice import DEMO_NOTICE, is_demo
from tracker.permissions import represented_actor_ids

from .asof import history_as_of

FORMATS = {
    "pdf": gettext_lazy("PDF progress report"),
    "docx": gettext_lazy("Word progress report (DOCX)"),
    "xlsx": gettext_lazy("Excel workbook (XLSX)"),
    "csv": gettext_lazy("CSV follow-up sheet"),
}
GROUPINGS = {
    "theme": gettext_lazy("Theme"),
    "agenda": gettext_lazy("Action agenda point"),
    "gcm": gettext_lazy("Global Compact objective"),
    "sdg": gettext_lazy("SDG target"),
    "actor": gettext_lazy("Actor (each actor its own section)"),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# The list's filters an export takes over; `kind` is always "main" and `sort` is ignored
# (exports follow report order).
EXPORT_FILTERS = ["q", "theme", "agenda", "gcm", "sdg", "actor", "actor_only", "mentioned",
                  "status", "chapter", "paragraph", "overdue", "mine"]  # fmt: skip
# PDF and DOCX reports requested from the page cover at most this many recommendations
# (settings.PROGRESS_REPORT_MAX_RECOMMENDATIONS); the command has no limit.
DEFAULT_MAX_RECOMMENDATIONS = 2000
# The CSV's first column in a demo (header, then every row): the import ignores it.
DEMO_COLUMN = (gettext_lazy("DEMO DATA"), gettext_lazy("synthetic, not real follow-up"))
# A worksheet holds 1,048,576 rows, one of them the header.
EXCEL_MAX_ROWS = 1_048_576


class ExportRefused(Exception):
    """The export is too large for this route; the message says what to do instead."""


def max_recommendations() -> int:
    return getattr(settings, "PROGRESS_REPORT_MAX_RECOMMENDATIONS", DEFAULT_MAX_RECOMMENDATIONS)


def recommendation_filter(data, request=None) -> RecommendationFilter:
    """The list's filter on these query parameters, restricted to main recommendations."""
    data = data.copy()
    data["kind"] = "main"
    data.pop("sort", None)
    return RecommendationFilter(data, queryset=Recommendation.objects.current(), request=request)


def _list(words) -> str:
    return translation.pgettext("list separator", ", ").join(words)


def _describe(name, value) -> tuple[str, str]:
    if name == "status":
        # The file name takes the keys, the same in every language.
        return _list(str(Status(v).label) for v in value), "-".join(value)
    if name == "q":
        return f"“{value}”", slugify(value)[:30]
    if name == "paragraph":
        return str(int(value)), f"p{int(value)}"
    if name == "chapter":
        return str(value), f"chapter-{value.numeral.lower()}"
    if isinstance(value, bool):
        return _("yes"), name.replace("_", "-")
    if name in ("theme", "agenda", "gcm", "sdg", "actor"):  # several, in their own order
        return _list(str(item) for item in value), "-".join(item.key for item in value)
    return str(value), getattr(value, "key", slugify(str(value)))


def describe_filters(filterset: RecommendationFilter) -> tuple[list, list]:
    """A validated filter in words [(label, value)], and the parts of a file name."""
    filters, slug_parts = [], []
    for name in EXPORT_FILTERS:
        value = filterset.form.cleaned_data.get(name)
        if value is None or value is False or (not isinstance(value, int) and not value):
            continue
        text, slug = _describe(name, value)
        filters.append((str(filterset.form.fields[name].label), text))
        slug_parts.append(slug)
    return filters, slug_parts


@dataclass
class ExportOptions:
    """What to export and how: the selection, the date, the format and the layout."""

    recommendations: QuerySet
    as_of: datetime.date
    format: str = "csv"
    grouping: str = "theme"
    history: bool = False
    filters: list[tuple[str, str]] = field(default_factory=list)  # (label, value) in words
    slug_parts: list[str] = field(default_factory=list)
    generated_by: str = ""
    generated_at: datetime.datetime = field(default_factory=timezone.now)
    # With "include actors only mentioned": those actors, for the per-actor report's
    # section "mentioned, not addressed".
    mentioned_actor_ids: frozenset = frozenset()
    # With "mine": only the lines of the actors the user reports for (None: every line).
    line_actor_ids: frozenset | None = None
    # Demo data (settings.DEMO): the one hook every format reads: the PDF and Word covers
    # and the Excel Summary's first row carry demo_notice, the CSV a first column
    # (DEMO_COLUMN, which the import ignores), and the file name starts with "demo".
    demo: bool = field(default_factory=is_demo)
    # The language of the labels (tracker.reports.languages): every format is written
    # under translation.override(language).
    language: str = field(default_factory=active_language)

    @property
    def demo_notice(self) -> str:
        return str(DEMO_NOTICE) if self.demo else ""

    @classmethod
    def from_filter(cls, filterset: RecommendationFilter, **kwargs) -> "ExportOptions":
        """Options for a validated filter: its selection, and its filters in words."""
        with translation.override(kwargs.get("language") or active_language()):
            filters, slug_parts = describe_filters(filterset)
        data = filterset.form.cleaned_data
        if data.get("mine"):
            user = getattr(filterset.request, "user", None)
            kwargs.setdefault(
                "line_actor_ids", frozenset(represented_actor_ids(user) if user else ())
            )
        if data.get("mentioned") and data.get("actor"):
            meant = actors_meant([a.pk for a in data["actor"]], only=data.get("actor_only"))
            kwargs.setdefault("mentioned_actor_ids", frozenset(meant.values_list("pk", flat=True)))
        return cls(recommendations=filterset.qs, filters=filters, slug_parts=slug_parts, **kwargs)

    def filename(self) -> str:
        """e.g. progress-2014-10-03-rights.pdf; in another language than English, its code
        ends the name (progress-2014-10-03-rights-ar.pdf), so that two languages' files of
        the same export do not overwrite each other."""
        parts = [*(["demo"] if self.demo else []), "progress", self.as_of.isoformat(),
                 *self.slug_parts]  # fmt: skip
        if self.format in ("pdf", "docx") and self.grouping != "theme":
            parts.append(f"by-{self.grouping}")
        stem = slugify("-".join(parts))[:100].strip("-")
        if self.language != "en":
            stem = f"{stem}-{self.language}"
        return f"{stem}.{self.format}"

    def lines(self) -> QuerySet:
        """Follow-up lines of the selected recommendations (all of them; as-of filters later)."""
        lines = FollowUpLine.objects.filter(recommendation__in=self.recommendations.values("pk"))
        if self.line_actor_ids is not None:
            lines = lines.filter(actor_id__in=self.line_actor_ids)
        return lines


def check(options: ExportOptions, *, capped: bool) -> None:
    """Raise ExportRefused if the export cannot be made on this route."""
    if capped and options.format in ("pdf", "docx"):
        count = options.recommendations.count()
        limit = max_recommendations()
        if count > limit:
            raise ExportRefused(
                _(
                    "This report would cover %(count)s recommendations; PDF and Word reports "
                    "made here cover at most %(limit)s. Narrow the filters, download the Excel "
                    "or CSV export, or ask an administrator to run "
                    "`manage.py export_progress --format %(format)s` on the server, which "
                    "has no limit."
                )
                % {"count": count, "limit": limit, "format": options.format}
            )
    if options.format == "xlsx" and options.history:
        count = history_as_of(options.lines(), options.as_of).count()
        if count > EXCEL_MAX_ROWS - 1:
            raise ExportRefused(
                _(
                    "The history has %(count)s status updates, more than an Excel sheet holds "
                    "(%(limit)s rows). Export without the history, narrow the filters, or "
                    "choose an earlier date."
                )
                % {"count": count, "limit": f"{EXCEL_MAX_ROWS - 1:,}"}
            )


def filters_text(options: ExportOptions) -> str:
    if not options.filters:
        return _("none: every main recommendation")
    return "; ".join(f"{label}: {value}" for label, value in options.filters)
