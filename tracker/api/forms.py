"""The form that makes a personal API token (the preferences page)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hearings.text import SafeCharField

from .models import Scope
from .services import DEFAULT_EXPIRY_DAYS, EXPIRY_DAYS, MAX_NAME_LENGTH


class TokenForm(forms.Form):
    name = SafeCharField(
        label=_("Name"),
        max_length=MAX_NAME_LENGTH,
        help_text=_("What the token is for, e.g. “NRTD sync” or “IOM reporting script”."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("Read and write lets a program record status updates as you."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        choices=[(n, _("%(n)s days") % {"n": n}) for n in EXPIRY_DAYS],
        initial=DEFAULT_EXPIRY_DAYS,
    )
