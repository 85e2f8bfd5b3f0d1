"""Forms of the account pages: an account (role, actors), and a user's preferences
(language, time zone)."""

import zoneinfo

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hearings.models import Actor
from hearings.text import SafeCharField
from tracker.languages import language_choices, recipient_language
from tracker.models import Role
from tracker.pickers import use_actor_picker


class AccountForm(forms.Form):
    username = forms.RegexField(
        label=_("User name"),
        regex=r"^[\w.@+-]+$",
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    email = forms.EmailField(label=_("E-mail"))
    first_name = SafeCharField(label=_("First name"), max_length=150, required=False)
    last_name = SafeCharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    actors = forms.ModelMultipleChoiceField(
        label=_("Reports for (focal points)"),
        queryset=Actor.objects.order_by("name"),
        required=False,
    )
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True,
        help_text=_("An inactive account cannot log in; its history is kept."),
    )  # fmt: skip

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        use_actor_picker(self.fields["actors"])
        if account is not None:
            self.fields["username"].disabled = True

    def clean_username(self):
        username = self.cleaned_data["username"]
        taken = get_user_model().objects.filter(username__iexact=username)
        if self.account is None and taken.exists():
            raise ValidationError(_("This user name is taken."))  # in any case
        return username

    def clean_email(self):
        email = self.cleaned_data["email"]
        others = get_user_model().objects.filter(email__iexact=email)
        if self.account is not None:
            others = others.exclude(pk=self.account.pk)
        if email and others.exists():
            raise ValidationError(_("Another account has this e-mail address."))
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.FOCAL_POINT and not cleaned.get("actors"):
            self.add_error("actors", _("A focal point reports for at least one actor."))
        return cleaned


class PreferencesForm(forms.Form):
    """A user's language (one of settings.LANGUAGES, each named in itself, or the
    browser's) and time zone."""

    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_("Pages and e-mails are in this language."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("From the browser")), *language_choices()]
        zones = sorted(zoneinfo.available_timezones())
        self.fields["time_zone"].choices = [("", _("Site default"))] + [(z, z) for z in zones]


class UnlockForm(forms.Form):
    """The user name a coordinator unlocks (the lockout list's button posts it)."""

    username = forms.CharField(label=_("User name"), max_length=150)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, with each e-mail written in its recipient's language."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(recipient_language(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
