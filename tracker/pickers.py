"""Actor pickers: every list of actors a person chooses from (the list's and the export's
filters, adding a line, an account's actors) is grouped under the same headings, sorted by
the name shown, and works without JavaScript: a multiple choice is checkboxes under
headings, which static/js/picker.js turns into a type-to-filter list; a single choice is
a select with a group per heading (type its first letters to jump)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hearings.models import Actor, ActorKind
from hearings.translation import columns

HEADINGS = {
    "governments": _("Governments and the 193 Member States"),
    "un": _("UN system"),
    "intergovernmental": _("Other intergovernmental"),
    "society": _("Civil society and the private sector"),
    "processes": _("Processes"),
}
HEADING_OF_KIND = {
    ActorKind.MEMBER_STATE: "governments",
    ActorKind.LOCAL_AUTHORITY: "governments",
    ActorKind.UN_ENTITY: "un",
    ActorKind.INTERGOVERNMENTAL_FORUM: "processes",
    ActorKind.CIVIL_SOCIETY: "society",
    ActorKind.PRIVATE_SECTOR: "society",
    ActorKind.GROUP: "intergovernmental",
    ActorKind.OTHER: "intergovernmental",
}
# Groups and others whose kind says too little (actors.yaml): where a reader looks for them.
HEADING_OF_KEY = {
    "governments": "governments",
    "countries-of-origin": "governments",
    "countries-of-destination": "governments",
    "un-system": "un",
    "gmg": "un",
    "research-institutions": "society",
    "migrants-in-distress-group": "processes",
}


def heading_of(actor: Actor) -> str:
    return HEADING_OF_KEY.get(actor.key) or HEADING_OF_KIND.get(actor.kind, "intergovernmental")


def grouped_choices(actors, value=lambda actor: actor.pk) -> list:
    """[(heading, [(value, name shown), ...]), ...] in HEADINGS' order, names sorted."""
    groups: dict[str, list] = {key: [] for key in HEADINGS}
    for actor in actors:
        groups[heading_of(actor)].append((value(actor), str(actor)))
    return [
        (HEADINGS[key], sorted(options, key=lambda option: option[1].casefold()))
        for key, options in groups.items()
        if options
    ]


class ActorCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes under a heading per group of actors; picker.js adds the filter box."""

    template_name = "tracker/widgets/actor_checkboxes.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "picker__checkbox", **(attrs or {})}, choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Folded until asked, so the keyboard passes it in one step; open when in use.
        context["widget"]["chosen"] = len([v for v in context["widget"]["value"] if v])
        return context


def use_actor_picker(field, *, value=lambda actor: actor.pk, multiple=True) -> None:
    """Give a form's actor field (a model choice field of actors) the grouped picker. Its
    queryset is read (one query) only when the field is shown; validation stays the
    field's own."""

    def choices():
        actors = field.queryset.only("pk", "key", "kind", *columns("name", "short_name"))
        grouped = grouped_choices(actors, value)
        return grouped if multiple else [("", field.empty_label or ""), *grouped]

    if multiple:
        field.widget = ActorCheckboxes()
    field.widget.choices = choices
