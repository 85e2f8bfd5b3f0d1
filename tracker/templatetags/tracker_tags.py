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
    """An arrow pointing the way the reader's text goes ("forward": → in a left-to-right
    language, ← in a right-to-left one; "back": the other). Arrows are not mirrored by
    the Unicode bidirectional algorithm, so the language chooses them."""
    forward = translation.get_language_bidi()
    if way == "back":
        forward = not forward
    return "→" if not forward else "←"
