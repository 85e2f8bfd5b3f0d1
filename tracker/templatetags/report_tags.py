"""The PDF report's filters for text in another direction than the report's: catalogue data
and notes in English inside an Arabic report (and Arabic ones in the others) keep their own
direction, so their punctuation stays where it belongs."""

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html

from tracker.reports.languages import text_direction

register = template.Library()


def _report_direction() -> str:
    return "rtl" if translation.get_language_bidi() else "ltr"


@register.filter
def isolate(value):
    """The text, in a <span dir> of its own if its direction is not the report's."""
    wanted = text_direction(value)
    if wanted is None or wanted == _report_direction():
        return conditional_escape(value)
    return format_html('<span dir="{}">{}</span>', wanted, value)


@register.filter
def text_dir(value) -> str:
    """A block's dir attribute for its text: its own direction, else the report's."""
    return text_direction(value) or _report_direction()
