"""Query parameters shared by endpoints, read and described once: `as_of`, `limit`,
`cursor`, and the envelope of a page of results."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from tracker.inputs import check_follow_up_date

from .problems import Problem

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description=gettext_lazy(
        "YYYY-MM-DD: statuses as they stood on that date, by the progress reports' rule "
        "(a line counts if it existed then; its status is its latest update effective on "
        "or before the date). Not before 15 July 2013, not in the future."
    ),
)
LIMIT = OpenApiParameter(
    "limit",
    OpenApiTypes.INT,
    description=gettext_lazy("Rows per page, 1 to 200 (default 50)."),
)
CURSOR = OpenApiParameter(
    "cursor",
    OpenApiTypes.STR,
    description=gettext_lazy("Where the page starts: take it from the previous page's `next`."),
)
PAGED = [LIMIT, CURSOR]


def many(name, description, enum=None) -> OpenApiParameter:
    """A parameter that may be given several times (`?theme=a&theme=b`): any of them."""
    return OpenApiParameter(
        name, OpenApiTypes.STR, many=True, explode=True, enum=enum, description=description
    )


def flag(name, description) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.BOOL, description=description)


def as_of_of(params) -> datetime.date | None:
    """The `as_of` date asked for, checked as the export form checks it; None for today."""
    raw = params.get("as_of")
    if raw in (None, ""):
        return None
    try:
        date = datetime.date.fromisoformat(raw)
        if len(raw) != 10:
            raise ValueError(raw)
    except ValueError:
        raise Problem(
            "invalid-request", errors={"as_of": [_("A date as YYYY-MM-DD, e.g. 2015-10-03.")]}
        ) from None
    try:
        check_follow_up_date(date)
    except DjangoValidationError as exc:
        raise Problem("invalid-request", errors={"as_of": list(exc.messages)}) from None
    return date


def flag_of(params, name: str) -> bool:
    """A true/false query parameter (absent: false); anything else is refused."""
    raw = params.get(name)
    if raw in (None, "", "false"):
        return False
    if raw == "true":
        return True
    raise Problem("invalid-request", errors={name: [_("Either true or false.")]})


_pages: dict = {}


def page_of(serializer_class):
    """The serializer of a page of `serializer_class` rows (for the schema)."""
    name = serializer_class.__name__.removesuffix("Serializer") + "Page"
    if name not in _pages:
        fields = {
            "next": serializers.URLField(
                allow_null=True, help_text=gettext_lazy("The next page, or null on the last one.")
            ),
            "results": serializer_class(many=True),
        }
        _pages[name] = type(name, (serializers.Serializer,), fields)
    return _pages[name]
