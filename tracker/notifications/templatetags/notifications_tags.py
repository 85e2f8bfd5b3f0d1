"""What reminders and requests add to pages the core renders, without the core importing
them: the requests on a recommendation's timelines (one query for all its lines), and the
digest choice on the preferences page."""

from django import template

from tracker.models import Role
from tracker.permissions import role_of

from .. import selectors, services
from ..forms import DigestFrequencyForm

register = template.Library()


@register.simple_tag
def update_requests_by_line(lines):
    """{line id: [requests, latest first]} for these lines, in one query."""
    return selectors.update_requests_by_line([line.pk for line in lines])


@register.filter
def with_update_requests(line, requests_by_line):
    """The line's history, latest first, with the update requests in it: updates by
    effective date (then time recorded, then id), a request on the day it was made."""
    entries = [((u.effective_date, u.recorded_at, u.pk), u) for u in line.updates.all()]
    entries += [
        ((r.requested_on, r.requested_at, r.pk), r) for r in requests_by_line.get(line.pk, [])
    ]
    entries.sort(key=lambda entry: entry[0], reverse=True)
    return [item for _key, item in entries]


@register.inclusion_tag("tracker/notifications/frequency_form.html", takes_context=True)
def digest_frequency_form(context):
    """The digest choice, for focal points (the only ones who get digests)."""
    user = context["request"].user
    if role_of(user) != Role.FOCAL_POINT:
        return {"form": None}
    form = DigestFrequencyForm.for_choice(services.frequency_chosen(user))
    return {"form": form, "csrf_token": context.get("csrf_token")}
