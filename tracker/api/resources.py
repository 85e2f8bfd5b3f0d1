"""The report and its catalogue: chapters, paragraphs, themes, agenda points, GCM
objectives, SDG targets, actors and recommendations (with the staff list's filters, search
and sort). Public while the public site is on, for everyone signed in always."""

from django.db.models import Prefetch, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.response import Response

from hearings.models import (
    Actor,
    AgendaPoint,
    Chapter,
    GcmObjective,
    Paragraph,
    SdgTarget,
    Theme,
)
from tracker.filters import RecommendationFilter
from tracker.models import Status
from tracker.public.filters import PublicRecommendationFilter
from tracker.public.shares import withheld

from . import selectors
from .base import ApiView
from .pagination import page
from .parameters import AS_OF, PAGED, as_of_of, flag, many, page_of
from .problems import Problem
from .serializers import (
    ActorDetailSerializer,
    ActorSerializer,
    AgendaPointSerializer,
    ChapterSerializer,
    GcmObjectiveSerializer,
    ParagraphSerializer,
    RecommendationSerializer,
    SdgTargetSerializer,
    ThemeSerializer,
)


def _one(queryset, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def catalogue_endpoints(*, tag, name, serializer, queryset, lookup, order, detail_serializer=None):
    """The list and detail endpoints of one catalogue table, read in `order` (a unique
    key): e.g. /themes/ and /themes/{key}/."""
    detail_serializer = detail_serializer or serializer

    @extend_schema_view(
        get=extend_schema(
            tags=[tag], operation_id=f"{name}_list", parameters=PAGED, responses=page_of(serializer)
        )
    )
    class List(ApiView):
        def read(self, request):
            rows = queryset().order_by(order)
            return Response(page(request, rows, lambda r: serializer(r, many=True).data))

    @extend_schema_view(
        get=extend_schema(tags=[tag], operation_id=f"{name}_retrieve", responses=detail_serializer)
    )
    class Detail(ApiView):
        def read(self, request, **kwargs):
            row = _one(queryset(), **{lookup: kwargs[lookup]})
            return Response(detail_serializer(row).data)

    kind = serializer.__name__.removesuffix("Serializer")
    List.__name__, Detail.__name__ = f"{kind}List", f"{kind}Detail"
    return List.as_view(), Detail.as_view()


def _recommendation_codes(caller):
    return Prefetch(
        "recommendations",
        queryset=selectors.recommendations_plain(caller).only("code", "paragraph_id"),
    )


chapter_list, chapter_detail = catalogue_endpoints(
    tag="report",
    name="chapters",
    serializer=ChapterSerializer,
    queryset=lambda: Chapter.objects.prefetch_related(
        "sections", Prefetch("paragraphs", queryset=Paragraph.objects.only("number", "chapter_id"))
    ),
    lookup="numeral",
    order="order",
)
theme_list, theme_detail = catalogue_endpoints(
    tag="catalogue",
    name="themes",
    serializer=ThemeSerializer,
    queryset=lambda: Theme.objects.select_related("chapter"),
    lookup="key",
    order="number",
)
agenda_point_list, agenda_point_detail = catalogue_endpoints(
    tag="catalogue",
    name="agenda_points",
    serializer=AgendaPointSerializer,
    queryset=lambda: AgendaPoint.objects.select_related("theme"),
    lookup="key",
    order="number",
)
gcm_objective_list, gcm_objective_detail = catalogue_endpoints(
    tag="catalogue",
    name="gcm_objectives",
    serializer=GcmObjectiveSerializer,
    queryset=lambda: GcmObjective.objects.all(),
    lookup="key",
    order="number",
)
sdg_target_list, sdg_target_detail = catalogue_endpoints(
    tag="catalogue",
    name="sdg_targets",
    serializer=SdgTargetSerializer,
    queryset=lambda: SdgTarget.objects.all(),
    lookup="key",
    order="position",
)
actor_list, actor_detail = catalogue_endpoints(
    tag="catalogue",
    name="actors",
    serializer=ActorSerializer,
    detail_serializer=ActorDetailSerializer,
    queryset=lambda: Actor.objects.prefetch_related(
        Prefetch("groups", queryset=Actor.objects.only("key")),
        Prefetch("members", queryset=Actor.objects.only("key")),
    ),
    lookup="key",
    order="key",
)


PARAGRAPH_FILTER = OpenApiParameter(
    "chapter", OpenApiTypes.STR, description=gettext_lazy("A chapter's roman numeral: V.")
)


@extend_schema_view(
    get=extend_schema(
        tags=["report"],
        operation_id="paragraphs_list",
        parameters=[PARAGRAPH_FILTER, *PAGED],
        responses=page_of(ParagraphSerializer),
    )
)
class ParagraphList(ApiView):
    def read(self, request):
        rows = Paragraph.objects.select_related("chapter", "section").prefetch_related(
            _recommendation_codes(self.caller)
        )
        numeral = request.GET.get("chapter")
        if numeral:
            rows = rows.filter(chapter__numeral=numeral)
        rows = rows.order_by("number")
        return Response(page(request, rows, lambda r: ParagraphSerializer(r, many=True).data))


@extend_schema_view(
    get=extend_schema(
        tags=["report"], operation_id="paragraphs_retrieve", responses=ParagraphSerializer
    )
)
class ParagraphDetail(ApiView):
    def read(self, request, number):
        rows = Paragraph.objects.select_related("chapter", "section").prefetch_related(
            _recommendation_codes(self.caller)
        )
        return Response(ParagraphSerializer(_one(rows, number=number)).data)


SORTS = ["report", "-report", "title", "-title", "status", "-status"]
RECOMMENDATION_FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description=gettext_lazy(
        'Full-text search of titles and texts: words (all must match), "a phrase", '
        "OR between alternatives, -word to leave out.")),
    many("theme", gettext_lazy("Theme keys (any of them).")),
    many("agenda", gettext_lazy("Agenda point keys (any of them).")),
    many("gcm", gettext_lazy("Global Compact objective keys (any of them): gcm-6.")),
    many("sdg", gettext_lazy("SDG target keys (any of them): sdg-10-7.")),
    many("actor", gettext_lazy(
        "Actor keys (any of them); a group includes its members two levels down.")),
    flag("actor_only", gettext_lazy("These actors only, not their members.")),
    flag("mentioned", gettext_lazy("Include recommendations that only mention these actors.")),
    many("status", gettext_lazy("Overall statuses (any of them); not with as_of."), Status.values),
    OpenApiParameter("chapter", OpenApiTypes.STR, description=gettext_lazy("A chapter's numeral.")),
    OpenApiParameter("paragraph", OpenApiTypes.INT,
        description=gettext_lazy("A paragraph's number.")),
    OpenApiParameter("kind", {"type": "string", "enum": ["main", "restatements", "all"]},
        description=gettext_lazy("Main recommendations (default), restatements, or both.")),
    flag("overdue", gettext_lazy(
        "With an overdue line (anonymous callers: only where target dates are public).")),
    flag("mine", gettext_lazy("With a line of the actors you report for (focal points).")),
    OpenApiParameter("sort", {"type": "string", "enum": SORTS}, description=gettext_lazy(
        "Report order (default), title or overall status; '-' for the reverse. Ties are "
        "broken by id, so every order is stable.")),
]  # fmt: skip


def _refuse(name, message):
    raise Problem("invalid-request", errors={name: [message]})


def _filtered_recommendations(request, caller, as_of):
    params = request.GET
    if caller.public and params.get("mine"):
        _refuse("mine", _("“Mine” is the lines of the actors you report for: authenticate."))
    if not caller.target_dates and params.get("overdue"):
        _refuse("overdue", _("Target dates are not public, nor what reveals them."))
    if as_of is not None and (params.getlist("status") or "status" in params.get("sort", "")):
        _refuse(
            "as_of",
            _("Statuses as of a date are given for each row; filter and sort by status today."),
        )
    rows = selectors.recommendations(caller)
    if caller.public:
        # The public list's own: public lines only, and the public roll-up's statuses.
        filterset = PublicRecommendationFilter(
            params, queryset=rows, request=request, shares=withheld(),
            target_dates_public=caller.target_dates,
        )  # fmt: skip
    else:
        filterset = RecommendationFilter(params, queryset=rows, request=request)
    if not filterset.is_valid():
        raise Problem(
            "invalid-request",
            errors={name: [str(m) for m in msgs] for name, msgs in filterset.errors.items()},
        )
    queryset = filterset.qs
    sort = filterset.form.cleaned_data.get("sort") or []
    if any("status" in s for s in sort) and filterset.form.cleaned_data.get("kind") != "main":
        # Restatements have their main entry's status: one key for both kinds, never null.
        descending = sort[0].startswith("-")
        queryset = queryset.annotate(
            overall_status=Coalesce(
                "progress__status", "restates__progress__status", Value(Status.NO_INFORMATION)
            )
        ).order_by("-overall_status" if descending else "overall_status")
    return queryset


@extend_schema_view(
    get=extend_schema(
        tags=["catalogue"],
        operation_id="recommendations_list",
        parameters=[*RECOMMENDATION_FILTERS, AS_OF, *PAGED],
        responses=page_of(RecommendationSerializer),
    )
)
class RecommendationList(ApiView):
    def read(self, request):
        as_of = as_of_of(request.GET)
        rows = _filtered_recommendations(request, self.caller, as_of)

        def serialize(recs):
            progress = selectors.progress_of(self.caller, recs, as_of)
            context = {"caller": self.caller, "progress": progress, "as_of": as_of}
            return RecommendationSerializer(recs, many=True, context=context).data

        return Response(page(request, rows, serialize))


@extend_schema_view(
    get=extend_schema(
        tags=["catalogue"],
        operation_id="recommendations_retrieve",
        parameters=[AS_OF],
        responses=RecommendationSerializer,
    )
)
class RecommendationDetail(ApiView):
    def read(self, request, code):
        as_of = as_of_of(request.GET)
        rec = _one(selectors.recommendations(self.caller), code=code)
        progress = selectors.progress_of(self.caller, [rec], as_of)
        context = {"caller": self.caller, "progress": progress, "as_of": as_of}
        return Response(RecommendationSerializer(rec, context=context).data)
