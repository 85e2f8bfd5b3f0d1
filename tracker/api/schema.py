"""What the OpenAPI document says beyond what drf-spectacular reads from the views: the
two ways of authenticating, that reads are open to anonymous callers (while the public
site is on), the ETag and 304 of every read, and every error each operation can answer,
as a problem (RFC 9457) of the `Problem` schema."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .problems import PROBLEM_CONTENT_TYPE, PROBLEMS


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "tracker.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal token (htk_...), made on the preferences page or with "
                "`manage.py api_token USER --name NAME`; read-only or read-write. Never in "
                "the query string."
            ),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "tracker.api.authentication.SessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `type` is one of /api/v1/problems/.",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Each refused parameter or field, with the reasons.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "retry_after": {"type": "integer"},
    },
    "required": ["type", "title", "status", "instance"],
}
HEADERS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}}},
    429: {"Retry-After": {"schema": {"type": "integer"}, "required": True}},
}
ETAG = {"ETag": {"schema": {"type": "string"}, "required": True}}


def _problem(status: int) -> dict:
    slugs = [slug for slug, (code, _title, _when) in PROBLEMS.items() if code == status]
    response = {
        "description": "; ".join(f"{slug}: {PROBLEMS[slug][1]}" for slug in slugs),
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status in HEADERS:
        response["headers"] = HEADERS[status]
    return response


def _errors_of(method: str, path: str) -> list[int]:
    statuses = [400, 401, 406, 429, 500]
    if "{" in path:
        statuses.append(404)
    if method == "post":
        statuses += [403, 409, 415]
    return statuses


def declare_problems(result, generator, request, public):
    """drf-spectacular's postprocessing hook: see the module's docstring."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if method == "get":
                operation["security"] = [*operation.get("security", []), {}]
                for status, response in responses.items():
                    if status == "200":
                        response.setdefault("headers", {}).update(ETAG)
                responses["304"] = {
                    "description": "Not modified: the ETag sent in If-None-Match still holds.",
                    "headers": ETAG,
                }
            for status in _errors_of(method, path):
                declared = responses.get(str(status))
                if declared is None:
                    responses[str(status)] = _problem(status)
                elif "content" in declared:
                    # Declared by the view with its own schema (409): as a problem.
                    declared["content"] = {
                        PROBLEM_CONTENT_TYPE: next(iter(declared["content"].values()))
                    }
    return result
