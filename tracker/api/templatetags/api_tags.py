"""The preferences page's API tokens (the accounts' page shows them through this tag, so
tracker.accounts never imports the API)."""

from django import template
from django.utils import timezone

from tracker.permissions import role_of

from ..models import ApiToken

register = template.Library()


@register.inclusion_tag("tracker/api/token_list.html", takes_context=True)
def api_tokens(context):
    """The signed-in user's tokens, newest first, with their state."""
    user = context["request"].user
    if role_of(user) is None:
        return {"tokens": None}
    now = timezone.now()
    tokens = list(ApiToken.objects.filter(user=user).select_related("user"))
    for token in tokens:
        token.shown_state = token.state(now)
    return {"tokens": tokens, "csrf_token": context.get("csrf_token")}
