"""The API's own description: the index of /api/v1/, the problem types, the OpenAPI 3
document (/api/v1/schema/) and the browsable docs (/api/v1/docs/, Swagger UI from the
app's own static files)."""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.response import Response

from tracker.links import absolute_url

from .base import ApiView
from .problems import PROBLEM_CONTENT_TYPE, PROBLEMS, problem_body, type_uri

# The index's links, by name: every resource's list, the schema and the docs.
INDEX = [
    "api-chapters", "api-paragraphs", "api-recommendations", "api-actors", "api-themes",
    "api-agenda-points", "api-gcm-objectives", "api-sdg-targets", "api-lines",
    "api-updates", "api-rollups", "api-problems", "api-schema", "api-docs",
]  # fmt: skip


@extend_schema_view(
    get=extend_schema(
        tags=["api"],
        responses=inline_serializer(
            "Index", {"links": serializers.DictField(child=serializers.URLField())}
        ),
    )
)
class Index(ApiView):
    def read(self, request):
        links = {name.removeprefix("api-"): absolute_url(reverse(name)) for name in INDEX}
        return Response({"links": links})


ProblemType = inline_serializer(
    "ProblemType",
    {
        "type": serializers.URLField(),
        "slug": serializers.CharField(),
        "status": serializers.IntegerField(),
        "title": serializers.CharField(),
        "description": serializers.CharField(),
    },
)


@extend_schema_view(
    get=extend_schema(tags=["api"], responses=inline_serializer("ProblemTypes", {
        "problems": serializers.ListSerializer(child=ProblemType)}))
)  # fmt: skip
class ProblemTypes(ApiView):
    def read(self, request):
        rows = [
            {"type": type_uri(slug), "slug": slug, "status": status, "title": str(title),
             "description": str(when)}
            for slug, (status, title, when) in PROBLEMS.items()
        ]  # fmt: skip
        return Response({"problems": rows})


class Schema(SpectacularAPIView):
    """The OpenAPI 3 document: JSON, or YAML for Accept: application/vnd.oai.openapi."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]


# The page keeps the strict policy of every page: the start-up script is a file of its
# own (the "split" view) and the template has no inline style (static/css/api-docs.css);
# Swagger UI sets styles from its scripts only, which the policy allows
# (tests/api/test_browser_docs.py finds no violation).
class Docs(SpectacularSwaggerSplitView):
    template_name = "tracker/api/swagger_ui.html"
    title = _("API of the follow-up tracker")
    url_name = "api-schema"


@csrf_exempt  # it reads and writes nothing: a POST gets the same problem, not the CSRF page
def not_found(request, rest=""):
    """Any other address under /api/v1/: a problem, like every answer of the API."""
    body = problem_body("not-found", None, request.path_info.encode("unicode_escape").decode())
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
