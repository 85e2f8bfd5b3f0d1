from django import template

from tracker.models import Status, is_evidence_url

register = template.Library()

register.filter("is_http_url", is_evidence_url)


@register.filter
def line_counts_text(counts) -> str:
    """'2 in progress, 1 no information' from a {status: count} mapping."""
    return ", ".join(
        f"{counts[status.value]} {str(status.label).lower()}"
        for status in Status
        if counts and counts.get(status.value)
    )
