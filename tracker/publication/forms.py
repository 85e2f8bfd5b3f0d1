"""Forms of the publication pages: a switch (on or off) and the reason a coordinator keeps a
recommendation or a line out of public view."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hearings.text import SafeCharField

from .models import MAX_REASON_LENGTH

ON, OFF = "on", "off"


class SwitchForm(forms.Form):
    """The public site, or its target dates: on or off. Sent by the page's buttons."""

    state = forms.ChoiceField(
        choices=[(ON, _("on")), (OFF, _("off"))],
        error_messages={
            "required": _("Say “on” or “off”: nothing was changed."),
            "invalid_choice": _("Say “on” or “off”: nothing was changed."),
        },
    )

    @property
    def is_on(self) -> bool:
        return self.cleaned_data["state"] == ON


class WithholdForm(forms.Form):
    reason = SafeCharField(
        label=_("Why is it kept out of public view?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON_LENGTH,
        error_messages={"required": _("Say why it is kept out of public view.")},
        help_text=_(
            "Required, for coordinators only: it shows here and on the Public site page, "
            "never on the public site. E.g. “the Government's response is under discussion”."
        ),
    )
