"""What the follow-up accepts from outside, whichever door it comes through (the update
form, the export form, the bulk import): the range of effective dates, evidence links, the
length of a note. Forms and the import both use these, so the rules cannot drift apart."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import EVIDENCE_SCHEMES

HEARINGS_DATE = datetime.date(2013, 7, 15)
MAX_EVIDENCE_LINKS = 20
MAX_NOTE_LENGTH = 10_000
# The earliest and latest time zones on Earth (UTC+14, Line Islands): a date that is
# "today" somewhere is at most this far ahead of UTC.
LATEST_UTC_OFFSET = datetime.timedelta(hours=14)


def latest_today() -> datetime.date:
    """The latest date that is today anywhere on Earth."""
    return (timezone.now() + LATEST_UTC_OFFSET).date()


class EvidenceLinksField(forms.CharField):
    """One http(s) URL per line; stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value):
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
