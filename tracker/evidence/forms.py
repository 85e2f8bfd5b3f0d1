"""The withdrawal form: a coordinator says why a file is withdrawn."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hearings.text import SafeCharField

from .models import MAX_REASON_LENGTH


class WithdrawForm(forms.Form):
    reason = SafeCharField(
        label=_("Why is this file withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON_LENGTH,
        error_messages={"required": _("Say why the file is withdrawn.")},
        help_text=_(
            "Required. Shown on the timeline in its place, e.g. “holds personal data” or "
            "“uploaded to the wrong line”. The file itself is deleted; this cannot be undone."
        ),
    )
