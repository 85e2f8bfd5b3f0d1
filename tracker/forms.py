"""Forms: validation of everything a user types, with errors beside the fields."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearings.models import Actor

from .models import EVIDENCE_SCHEMES, STATUS_DESCRIPTIONS, Role, Status

HEARINGS_DATE = datetime.date(2013, 7, 15)
MAX_EVIDENCE_LINKS = 20
# The earliest and latest time zones on Earth (UTC+14, Line Islands): a date that is
# "today" somewhere is at most this far ahead of UTC.
LATEST_UTC_OFFSET = datetime.timedelta(hours=14)


def latest_today() -> datetime.date:
    """The latest date that is today anywhere on Earth."""
    return (timezone.now() + LATEST_UTC_OFFSET).date()


class StatusRadioSelect(forms.RadioSelect):
    option_template_name = "tracker/widgets/status_option.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["description"] = STATUS_DESCRIPTIONS.get(value, "")
        return option


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


class StatusUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, widget=StatusRadioSelect)
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text=_("What happened, in a few sentences. Required."),
    )
    evidence_links = EvidenceLinksField(
        label=_("Evidence links"),
        required=False,
        help_text=_("Optional. One http or https address per line."),
    )
    effective_date = forms.DateField(
        label=_("Date the status took effect"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Not before the hearings (15 July 2013) and not in the future."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    corrects = forms.TypedChoiceField(
        label=_("This update corrects"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Optional: the earlier update this one corrects. Nothing is overwritten."),
    )

    def __init__(self, *args, line, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        updates = list(line.updates.order_by("-effective_date", "-recorded_at", "-id"))
        self.updates_by_id = {u.pk: u for u in updates}
        self.fields["corrects"].choices = [("", _("Nothing: a new development"))] + [
            (u.pk, f"{u.effective_date:%Y-%m-%d} · {u.get_status_display()} · {u.note[:60]}")
            for u in updates
        ]
        if not updates:
            del self.fields["corrects"]
        self.fields["effective_date"].widget.attrs.update(
            {"min": HEARINGS_DATE.isoformat(), "max": latest_today().isoformat()}
        )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise ValidationError(_("Write a note."), code="required")
        return note

    def clean_effective_date(self):
        date = self.cleaned_data["effective_date"]
        if date < HEARINGS_DATE:
            raise ValidationError(_("The date cannot be before the hearings (15 July 2013)."))
        if date > latest_today():
            raise ValidationError(_("The date cannot be in the future."))
        return date

    def clean_corrects(self):
        pk = self.cleaned_data.get("corrects")
        return self.updates_by_id.get(pk) if pk else None


class LineAddForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Actor"), queryset=Actor.objects.none())
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = Actor.objects.exclude(
            follow_up_lines__recommendation=recommendation
        ).order_by("name")


class TargetDateForm(forms.Form):
    target_date = forms.DateField(
        label=_("Target date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty for none. A line is overdue once this date has passed."),
    )


class AccountForm(forms.Form):
    username = forms.RegexField(
        label=_("User name"),
        regex=r"^[\w.@+-]+$",
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    actors = forms.ModelMultipleChoiceField(
        label=_("Reports for (focal points)"),
        queryset=Actor.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True,
        help_text=_("An inactive account cannot log in; its history is kept."),
    )  # fmt: skip

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        if account is not None:
            self.fields["username"].disabled = True

    def clean_username(self):
        username = self.cleaned_data["username"]
        if self.account is None and get_user_model().objects.filter(username=username).exists():
            raise ValidationError(_("This user name is taken."))
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.FOCAL_POINT and not cleaned.get("actors"):
            self.add_error("actors", _("A focal point reports for at least one actor."))
        return cleaned


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        import zoneinfo

        zones = sorted(zoneinfo.available_timezones())
        self.fields["time_zone"].choices = [("", _("Site default"))] + [(z, z) for z in zones]
