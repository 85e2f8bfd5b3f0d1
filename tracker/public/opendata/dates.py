"""`?as_of=YYYY-MM-DD`: the follow-up as it stood on a date, by the reports' rule
(tracker.reports.asof.AS_OF_RULE) applied to the public lines. Any other value is refused
with a sentence saying why (a 400)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tracker.inputs import check_follow_up_date

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadDate(ValueError):
    """The as_of parameter is not a date the follow-up has; the message says why."""


def as_of_from(query) -> datetime.date | None:
    """The date `?as_of=` names, or None for now (absent or empty); BadDate otherwise."""
    values = query.getlist("as_of")
    if not values:
        return None
    if len(values) > 1:
        raise BadDate(_("Give as_of once."))
    value = values[0].strip()
    if not value:  # the form's date left empty: now
        return None
    try:
        if not ISO_DATE.match(value):
            raise ValueError(value)
        date = datetime.date.fromisoformat(value)
    except ValueError:
        raise BadDate(
            _("as_of must be a date written YYYY-MM-DD, for example 2014-10-03.")
        ) from None
    try:
        check_follow_up_date(date)
    except ValidationError as error:
        raise BadDate(" ".join(error.messages)) from None
    return date
