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
