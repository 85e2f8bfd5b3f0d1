from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def is_http_url(value) -> bool:
    """True for http(s) URLs only: evidence links never become javascript: or data: links."""
    try:
        return urlsplit(str(value)).scheme in {"http", "https"}
    except ValueError:
        return False


@register.filter
def line_counts_text(counts) -> str:
    """'2 in progress, 1 no information' from a {status: count} mapping."""
    from tracker.models import Status

    return ", ".join(
        f"{counts[status.value]} {str(status.label).lower()}"
        for status in Status
        if counts and counts.get(status.value)
    )
