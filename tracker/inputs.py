"""What the follow-up accepts from outside, whichever door it comes through (the update
form, the export form, the bulk import): the range of effective dates, evidence links, the
length of a note, target dates. Forms and the import both use these, so the rules cannot
drift apart. What text may be stored at all is hearings.text's rule."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearings.text import normalise_line_breaks, validate_safe_text

from .models import EARLIEST_TARGET_DATE, EVIDENCE_SCHEMES, LATEST_DATE
from .models import HEARINGS_DATE as HEARINGS_DATE  # the forms and the import use it from here

MAX_EVIDENCE_LINKS = 20
MAX_NOTE_LENGTH = 10_000
# The earliest and latest time zones on Earth (UTC+14, Line Islands): a date that is
# "today" somewhere is at most this far ahead of UTC.
LATEST_UTC_OFFSET = datetime.timedelta(hours=14)


def latest_today() -> datetime.date:
    """The latest date that is today anywhere on Earth."""
    return (timezone.now() + LATEST_UTC_OFFSET).date()


def check_follow_up_date(date: datetime.date, latest: datetime.date | None = None) -> None:
    """A date of the follow-up (a status's effective date, "as of", "followed since"): not
    before the hearings, not after today anywhere on Earth. Raises ValidationError."""
    if date < HEARINGS_DATE:
        raise ValidationError(
            _("The date cannot be before the hearings (15 July 2013)."), code="too_early"
        )
    if date > (latest or latest_today()):
        raise ValidationError(_("The date cannot be in the future."), code="future")


class FollowUpDateField(forms.DateField):
    """A date of the follow-up (check_follow_up_date), with the same bounds on the
    browser's date picker; its latest day is worked out anew for every form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        self.widget.attrs["min"] = HEARINGS_DATE.isoformat()

    def __deepcopy__(self, memo):
        field = super().__deepcopy__(memo)  # each form gets its own copy: today is today
        field.widget.attrs["max"] = latest_today().isoformat()
        return field

    def validate(self, value):
        super().validate(value)
        if value is not None:
            check_follow_up_date(value)


class EvidenceLinksField(forms.CharField):
    """One http(s) URL per line; stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = normalise_line_breaks(super().to_python(value))
        return [line.strip() for line in text.split("\n") if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value):
        validate_safe_text("\n".join(value))
        if len(value) > MAX_EVIDENCE_LINKS:
            raise ValidationError(
                _("At most %(n)s links.") % {"n": MAX_EVIDENCE_LINKS}, code="too_many"
            )
        check = URLValidator(schemes=list(EVIDENCE_SCHEMES))
        bad = []
        for url in value:
            try:
                check(url)
            except ValidationError:
                bad.append(url)
        if bad:
            raise ValidationError(
                _("Not an http(s) link: %(links)s") % {"links": ", ".join(bad)}, code="invalid"
            )


class TargetDateField(forms.DateField):
    """A line's target date: empty for none, else between 2013 and 2100."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                attrs={
                    "type": "date",
                    "min": EARLIEST_TARGET_DATE.isoformat(),
                    "max": LATEST_DATE.isoformat(),
                }
            ),
        )
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST_TARGET_DATE <= value <= LATEST_DATE:
            raise ValidationError(
                _("A target date is between %(earliest)s and %(latest)s."),
                code="out_of_range",
                params={"earliest": EARLIEST_TARGET_DATE.year, "latest": LATEST_DATE.year},
            )
