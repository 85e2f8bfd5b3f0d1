"""Forms of the follow-up pages: recording an update, adding a line, a target date."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hearings.models import Actor
from hearings.text import SafeCharField

from .evidence.fields import EvidenceFilesField
from .inputs import (
    MAX_NOTE_LENGTH,
    EvidenceLinksField,
    FollowUpDateField,
    TargetDateField,
)
from .models import STATUS_DESCRIPTIONS, Status
from .pickers import use_actor_picker


class StatusRadioSelect(forms.RadioSelect):
    option_template_name = "tracker/widgets/status_option.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["description"] = STATUS_DESCRIPTIONS.get(value, "")
        return option


PUBLISH_HELP = _(
    "Unticked, the note and its evidence stay internal, for staff only. Ticked, they show on "
    "the public site under the actor's name, never yours. The status and the date it took "
    "effect are public either way. A coordinator can publish or withdraw the note later."
)
PUBLISH_HELP_SITE_OFF = _(
    "The public site is off for now: a published note will show there once a coordinator "
    "switches it on."
)


class StatusUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, widget=StatusRadioSelect)
    note = SafeCharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_NOTE_LENGTH,
        help_text=_("What happened, in a few sentences. Required."),
    )
    evidence_links = EvidenceLinksField(
        label=_("Evidence links"),
        required=False,
        help_text=_("Optional. One http or https address per line."),
    )
    # Checked by content, and scanned where a scanner is configured (tracker.evidence).
    evidence_files = EvidenceFilesField()
    effective_date = FollowUpDateField(
        label=_("Date the status took effect"),
        help_text=_("Not before the hearings (15 July 2013) and not in the future."),
    )
    # Unticked unless the person recording ticks it: a note is internal by default.
    publish = forms.BooleanField(
        label=_("Publish this note"),
        required=False,
        initial=False,
        help_text=PUBLISH_HELP,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    corrects = forms.TypedChoiceField(
        label=_("This update corrects"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Optional: the earlier update this one corrects. Nothing is overwritten."),
    )

    def __init__(self, *args, line, public_site_on=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        if not public_site_on:
            self.fields["publish"].help_text = format_lazy(
                "{} {}", PUBLISH_HELP, PUBLISH_HELP_SITE_OFF
            )
        updates = list(line.updates.order_by("-effective_date", "-recorded_at", "-id"))
        self.updates_by_id = {u.pk: u for u in updates}
        self.fields["corrects"].choices = [("", _("Nothing: a new development"))] + [
            (u.pk, f"{u.effective_date:%Y-%m-%d} · {u.get_status_display()} · {u.note[:60]}")
            for u in updates
        ]
        if not updates:
            del self.fields["corrects"]

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise ValidationError(_("Write a note."), code="required")
        return note

    def clean_corrects(self):
        pk = self.cleaned_data.get("corrects")
        return self.updates_by_id.get(pk) if pk else None


class LineAddForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Actor"), queryset=Actor.objects.none())
    target_date = TargetDateField(label=_("Target date"))
    followed_since = FollowUpDateField(
        label=_("Followed since"),
        required=False,
        help_text=_(
            "Optional: the date this actor's follow-up began, if before today (not before "
            "the hearings, 15 July 2013, nor in the future). Reports as of an earlier date "
            "leave the line out."
        ),
    )

    def __init__(self, *args, recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = Actor.objects.exclude(
            follow_up_lines__recommendation=recommendation
        ).order_by("name")
        use_actor_picker(self.fields["actor"], multiple=False)


class TargetDateForm(forms.Form):
    target_date = TargetDateField(
        label=_("Target date"),
        help_text=_("Empty for none. A line is overdue once this date has passed."),
    )
