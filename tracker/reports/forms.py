"""The export page's own options; the selection comes from the list's filters."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.inputs import HEARINGS_DATE, check_follow_up_date, latest_today

from .options import FORMATS, GROUPINGS


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=list(FORMATS.items()), widget=forms.RadioSelect, initial="pdf"
    )
    as_of = forms.DateField(
        label=_("Progress as of"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Statuses as they stood on this date, rebuilt from the history."),
    )
    grouping = forms.ChoiceField(
        label=_("Group recommendations by"),
        choices=list(GROUPINGS.items()),
        initial="theme",
        help_text=_("PDF and Word reports only."),
    )
    history = forms.BooleanField(
        label=_("Include the full history of each line"),
        required=False,
        help_text=_("PDF and Word: every update up to the date; Excel: a History sheet."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()
        self.fields["as_of"].widget.attrs.update(
            {"min": HEARINGS_DATE.isoformat(), "max": latest_today().isoformat()}
        )

    def clean_as_of(self) -> datetime.date:
        date = self.cleaned_data["as_of"]
        check_follow_up_date(date)
        return date
