"""The digest frequency form (on the preferences page and its own page)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class DigestFrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("E-mail me a digest of my lines"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Lines overdue, due within 30 days, or with nothing recorded for a long time; "
            "no e-mail when there is nothing to say."
        ),
    )

    @classmethod
    def for_choice(cls, chosen: str | None):
        """Unbound, showing the person's choice (or the default they get meanwhile)."""
        return cls(initial={"frequency": chosen or settings.DIGEST_DEFAULT_FREQUENCY})
