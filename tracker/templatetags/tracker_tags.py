from django import template
from django.utils import translation

from tracker.models import Status, is_evidence_url

register = template.Library()

register.filter("is_http_url", is_evidence_url)


@register.filter
def line_counts_text(counts) -> str:
    """'2 in progress, 1 no information' from a {status: count} mapping."""
    separator = translation.pgettext("list separator", ", ")
    return separator.join(
        f"{counts[status.value]} {str(status.label).lower()}"
        for status in Status
        if counts and counts.get(status.value)
    )


@register.simple_tag
def arrow(way: str = "forward") -> str:
    """An arrow pointing the way the reader's text goes: "forward" (next, before -> after)
    is → in a left-to-right language and ← in a right-to-left one; "back" the other way.
    The Unicode bidirectional algorithm does not mirror arrows, so the language chooses."""
    if way not in ("forward", "back"):
        raise ValueError(f"arrow: 'forward' or 'back', not {way!r}")
    points_left = translation.get_language_bidi() != (way == "back")
    return "←" if points_left else "→"
