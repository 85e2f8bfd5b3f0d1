"""The export page's own options; the selection comes from the list's filters."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearings.translation import active_language
from tracker.inputs import FollowUpDateField
from tracker.languages import language_choices

from .options import FORMATS, GROUPINGS


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=list(FORMATS.items()), widget=forms.RadioSelect, initial="pdf"
    )
    as_of = FollowUpDateField(
        label=_("Progress as of"),
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

    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        required=False,
        help_text=_("The language of the report's headings and labels."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()
        self.fields["language"].initial = active_language()

    def clean_language(self) -> str:
        """The language chosen, else the user's (a link without one)."""
        return self.cleaned_data["language"] or active_language()
