"""The API's settings, read by hearings/settings.py (plain values: this module imports no
Django code). API_RATE_ANON and API_RATE_TOKEN are requests a minute per anonymous client
address and per token (or signed-in user)."""

from hearings.settings_values import env_positive_int

API_RATE_ANON = env_positive_int("API_RATE_ANON", 60)
API_RATE_TOKEN = env_positive_int("API_RATE_TOKEN", 600)

REST_FRAMEWORK = {
    # Every endpoint sets its own (tracker.api.base.ApiView); these hold for the schema
    # and docs views, and keep DRF's Basic authentication out of everything.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.authentication.TokenAuthentication",
        "tracker.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Follow-up of the 2013 hearings on international migration and development",
    "DESCRIPTION": (
        "The recommendations of the 2013 informal interactive hearings of the General "
        "Assembly with civil society, their follow-up by actor, status updates and "
        "roll-ups. Anonymous callers read what the public site shows, while it is on; "
        "signed-in callers (`Authorization: Bearer htk_...`) what their role reads. "
        "Errors are RFC 9457 problem details: /api/v1/problems/ lists them."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"StatusEnum": "tracker.models.Status.choices"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api.schema.declare_problems",
    ],
    # The docs viewer's files come from the app's own static files, never another origin.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "TAGS": [
        {"name": "report", "description": "The report's chapters and paragraphs."},
        {"name": "catalogue", "description": "Recommendations, actors, themes, agenda "
         "points, Global Compact objectives, SDG targets."},
        {"name": "follow-up", "description": "Lines, status updates, roll-ups."},
        {"name": "api", "description": "The index and the problem types."},
    ],
}  # fmt: skip
