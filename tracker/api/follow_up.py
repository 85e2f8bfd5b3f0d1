"""The follow-up: lines with their current status (or as of a date), status updates, a
line's history and recording a status update on it, and the roll-ups."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from hearings.models import Actor, Recommendation, Theme
from tracker import services
from tracker.filters import actor_ids_meant
from tracker.models import FollowUpLine, Status
from tracker.permissions import can_record_on, represented_actor_ids

from . import selectors
from .base import ApiView
from .follow_up_serializers import (
    LineSerializer,
    RollupSerializer,
    StaleLineSerializer,
    UpdateSerializer,
    UpdateWriteSerializer,
)
from .pagination import page
from .parameters import AS_OF, PAGED, as_of_of, flag, flag_of, many, page_of
from .problems import PROBLEM_CONTENT_TYPE, Problem, problem_body
from .rollups import rollups
from .serializers import api_url

LINE_FILTERS = [
    many("recommendation", gettext_lazy("Recommendation codes (any of them): R30a.")),
    many("actor", gettext_lazy(
        "Actor keys (any of them); a group includes its members two levels down.")),
    flag("actor_only", gettext_lazy("These actors only, not their members.")),
    many("status", gettext_lazy("Statuses (any of them), as of `as_of` when given."),
          Status.values),
    many("theme", gettext_lazy("Theme keys of the lines' recommendations.")),
    flag("overdue", gettext_lazy(
        "Past their target date and not final (anonymous callers: only where target "
        "dates are public).")),
    flag("mine", gettext_lazy("Lines of the actors you report for (focal points).")),
]  # fmt: skip


def _keys(model, field, params, name) -> list:
    """The rows of `model` named by the parameter's values; an unknown one is refused."""
    wanted = [value for value in params.getlist(name) if value]
    if not wanted:
        return []
    found = {getattr(row, field): row for row in model.objects.filter(**{f"{field}__in": wanted})}
    unknown = [value for value in wanted if value not in found]
    if unknown:
        raise Problem(
            "invalid-request",
            errors={name: [_("Unknown: %(values)s.") % {"values": ", ".join(unknown)}]},
        )
    return [found[value] for value in wanted]


def _filtered_lines(request, caller, as_of):
    params = request.GET
    rows = selectors.lines_on(caller, as_of)
    recs = _keys(Recommendation, "code", params, "recommendation")
    if recs:
        rows = rows.filter(recommendation__in=[rec.pk for rec in recs])
    actors = _keys(Actor, "key", params, "actor")
    if actors:
        only = flag_of(params, "actor_only")
        rows = rows.filter(actor_id__in=actor_ids_meant([a.pk for a in actors], only=only))
    themes = _keys(Theme, "key", params, "theme")
    if themes:
        rows = rows.filter(recommendation__theme__in=[theme.pk for theme in themes])
    statuses = params.getlist("status")
    if statuses:
        unknown = sorted(set(statuses) - set(Status.values))
        if unknown:
            raise Problem(
                "invalid-request",
                errors={"status": [_("Unknown: %(values)s.") % {"values": ", ".join(unknown)}]},
            )
        rows = rows.filter(**{"asof_status__in" if as_of else "status__in": statuses})
    if flag_of(params, "overdue"):
        if not caller.target_dates:
            raise Problem(
                "invalid-request",
                errors={"overdue": [_("Target dates are not public, nor what reveals them.")]},
            )
        rows = rows.overdue(timezone.localdate())
    if flag_of(params, "mine"):
        if caller.public:
            raise Problem(
                "invalid-request",
                errors={"mine": [_("“Mine” is the lines of the actors you report for.")]},
            )
        rows = rows.filter(actor_id__in=represented_actor_ids(caller.user))
    return rows.order_by("pk")


@extend_schema_view(
    get=extend_schema(
        tags=["follow-up"],
        operation_id="lines_list",
        parameters=[*LINE_FILTERS, AS_OF, *PAGED],
        responses=page_of(LineSerializer),
    )
)
class LineList(ApiView):
    def read(self, request):
        as_of = as_of_of(request.GET)
        rows = _filtered_lines(request, self.caller, as_of)
        context = {"caller": self.caller, "as_of": as_of}
        return Response(
            page(request, rows, lambda r: LineSerializer(r, many=True, context=context).data)
        )


def _line(caller, line_id, as_of=None) -> FollowUpLine:
    rows = selectors.lines_on(caller, as_of)
    if not caller.public and as_of is None:
        rows = FollowUpLine.objects.select_related("recommendation", "actor")
    line = rows.filter(pk=line_id).first()
    if line is None:
        raise Http404
    return line


@extend_schema_view(
    get=extend_schema(
        tags=["follow-up"],
        operation_id="lines_retrieve",
        parameters=[AS_OF],
        responses=LineSerializer,
    )
)
class LineDetail(ApiView):
    def read(self, request, line_id):
        as_of = as_of_of(request.GET)
        line = _line(self.caller, line_id, as_of)
        return Response(LineSerializer(line, context={"caller": self.caller, "as_of": as_of}).data)


def _updates_page(request, caller, rows):
    context = {"caller": caller}
    return Response(
        page(request, rows, lambda r: UpdateSerializer(r, many=True, context=context).data)
    )


@extend_schema_view(
    get=extend_schema(
        tags=["follow-up"],
        operation_id="lines_updates_list",
        summary=gettext_lazy("A line's history"),
        description=gettext_lazy(
            "Its status updates in the one ordering: effective date, then time recorded, "
            "then id. Anonymous callers read the published ones."
        ),
        parameters=PAGED,
        responses=page_of(UpdateSerializer),
    ),
    post=extend_schema(
        tags=["follow-up"],
        operation_id="lines_updates_create",
        summary=gettext_lazy("Record a status update on the line"),
        description=gettext_lazy(
            "What the update form does, with its rules: the line's focal points (exactly "
            "its actor's) and coordinators, on an open line; a read-write token. Send the "
            "line's `version` as you read it: if anyone recorded on the line since, the "
            "answer is 409 with what they recorded, and nothing is stored."
        ),
        request=UpdateWriteSerializer,
        responses={201: UpdateSerializer, 409: StaleLineSerializer},
    ),
)
class LineUpdates(ApiView):
    def read(self, request, line_id):
        line = _line(self.caller, line_id)
        rows = (
            selectors.updates(self.caller)
            .filter(line=line)
            .order_by("effective_date", "recorded_at", "id")
        )
        return _updates_page(request, self.caller, rows)

    def post(self, request, line_id):
        line = FollowUpLine.objects.select_related("recommendation", "actor").filter(pk=line_id)
        line = line.first()
        if line is None:
            raise Http404
        if not can_record_on(request.user, line):
            raise PermissionDenied
        form = UpdateWriteSerializer(data=request.data, context={"line": line})
        if not form.is_valid():
            raise ValidationError(form.errors)
        data = form.validated_data
        try:
            update = services.status_update_record(
                line_id=line.pk,
                user=request.user,
                status=data["status"],
                note=data["note"],
                effective_date=data["effective_date"],
                evidence_links=data["evidence_links"],
                seen_version=data["version"],
                corrects=data.get("corrects"),
                publish=data["publish"],
            )
        except services.StaleLine as stale:
            line.refresh_from_db(fields=["update_count"])
            newer = selectors.updates(self.caller).filter(pk__in=[u.pk for u in stale.newer])
            body = problem_body(
                "stale-line",
                _("%(n)s update(s) were recorded on this line after version %(version)s.")
                % {"n": len(stale.newer), "version": data["version"]},
                request.path,
                current_version=line.update_count,
                newer_updates=UpdateSerializer(
                    newer.order_by("-id"), many=True, context={"caller": self.caller}
                ).data,
            )
            return Response(body, status=409, content_type=PROBLEM_CONTENT_TYPE)
        recorded = selectors.updates(self.caller).get(pk=update.pk)
        body = UpdateSerializer(recorded, context={"caller": self.caller}).data
        return Response(body, status=201, headers={"Location": api_url("api-update", update.pk)})


UPDATE_FILTERS = [
    OpenApiParameter("line", OpenApiTypes.INT, description=gettext_lazy("A line's id.")),
    many("recommendation", gettext_lazy("Recommendation codes (any of them).")),
    many("actor", gettext_lazy("Actor keys (any of them): those actors' own lines.")),
    many("status", gettext_lazy("Statuses (any of them)."), Status.values),
]


@extend_schema_view(
    get=extend_schema(
        tags=["follow-up"],
        operation_id="status_updates_list",
        description=gettext_lazy(
            "Every status update, oldest recorded first (by id): follow `next` to the end, "
            "and keep the last page's cursor to read only what is new next time."
        ),
        parameters=[*UPDATE_FILTERS, *PAGED],
        responses=page_of(UpdateSerializer),
    )
)
class UpdateList(ApiView):
    def read(self, request):
        params = request.GET
        rows = selectors.updates(self.caller)
        line = params.get("line")
        if line:
            if not line.isdigit():
                raise Problem("invalid-request", errors={"line": [_("A line's id: a number.")]})
            rows = rows.filter(line_id=int(line))
        recs = _keys(Recommendation, "code", params, "recommendation")
        if recs:
            rows = rows.filter(line__recommendation__in=[rec.pk for rec in recs])
        actors = _keys(Actor, "key", params, "actor")
        if actors:
            rows = rows.filter(line__actor__in=[actor.pk for actor in actors])
        statuses = params.getlist("status")
        if statuses:
            if set(statuses) - set(Status.values):
                raise Problem("invalid-request", errors={"status": [_("Unknown status.")]})
            rows = rows.filter(status__in=statuses)
        return _updates_page(request, self.caller, rows.order_by("pk"))


@extend_schema_view(
    get=extend_schema(
        tags=["follow-up"], operation_id="status_updates_retrieve", responses=UpdateSerializer
    )
)
class UpdateDetail(ApiView):
    def read(self, request, update_id):
        update = selectors.updates(self.caller).filter(pk=update_id).first()
        if update is None:
            raise Http404
        return Response(UpdateSerializer(update, context={"caller": self.caller}).data)


@extend_schema_view(
    get=extend_schema(
        tags=["follow-up"],
        operation_id="rollups_retrieve",
        parameters=[AS_OF],
        responses=RollupSerializer,
    )
)
class Rollups(ApiView):
    def read(self, request):
        figures = rollups(self.caller, as_of_of(request.GET))
        return Response(RollupSerializer(figures).data)
