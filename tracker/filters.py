"""The recommendations list's filters: all in the query string, so a view can be shared.
Actor, theme, agenda point and status take several values (any of them); the filters
together must all hold."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hearings.models import Actor, AgendaPoint, Chapter, Recommendation, Theme

from .models import FollowUpLine, Status
from .permissions import represented_actor_ids
from .pickers import use_actor_picker
from .search import recommendations_search

ANY = _("Any")


def actors_meant(chosen_ids, *, only=False):
    """The actors a choice means: those chosen and, unless `only`, their members two levels
    down (Governments: each Member State; the UN system: the GMG and its agencies)."""
    ids = Q(pk__in=chosen_ids)
    if not only:
        ids |= Q(groups__in=chosen_ids) | Q(groups__groups__in=chosen_ids)
    return Actor.objects.filter(ids).distinct()


class RecommendationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search title and text"), method="filter_search")
    # With to_field_name, django-filter compares the key: hence field names ending in __key.
    theme = django_filters.ModelMultipleChoiceFilter(
        field_name="theme__key",
        queryset=Theme.objects.order_by("number"),
        to_field_name="key",
        label=_("Theme"),
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = django_filters.ModelMultipleChoiceFilter(
        field_name="agenda_points__key",
        queryset=AgendaPoint.objects.order_by("number"),
        to_field_name="key",
        label=_("Action agenda point"),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    actor = django_filters.ModelMultipleChoiceFilter(
        queryset=Actor.objects.all(),
        to_field_name="key",
        label=_("Actor"),
        method="filter_actor",
        help_text=_("A group includes its members: Governments includes each Member State."),
    )
    actor_only = django_filters.BooleanFilter(
        label=_("These actors only, not their members"),
        method="filter_nothing",
        widget=forms.CheckboxInput,
    )
    mentioned = django_filters.BooleanFilter(
        label=_("Include recommendations that only mention these actors"),
        method="filter_nothing",
        widget=forms.CheckboxInput,
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        label=_("Overall status"),
        method="filter_status",
        widget=forms.CheckboxSelectMultiple,
    )
    chapter = django_filters.ModelChoiceFilter(
        field_name="paragraph__chapter",
        queryset=Chapter.objects.order_by("order"),
        to_field_name="numeral",
        label=_("Chapter"),
        empty_label=ANY,
    )
    paragraph = django_filters.NumberFilter(
        field_name="paragraph__number",
        label=_("Paragraph"),
        min_value=1,
        max_value=999,
    )
    kind = django_filters.ChoiceFilter(
        choices=[
            ("main", _("Main recommendations")),
            ("restatements", _("Restatements")),
            ("all", _("Both")),
        ],
        label=_("Entries"),
        method="filter_kind",
        empty_label=None,
    )
    overdue = django_filters.BooleanFilter(
        label=_("With an overdue line"), method="filter_overdue", widget=forms.CheckboxInput
    )
    mine = django_filters.BooleanFilter(
        label=_("Mine (lines of the actors I report for)"),
        method="filter_mine",
        widget=forms.CheckboxInput,
    )
    sort = django_filters.OrderingFilter(
        fields=[("position", "report"), ("title", "title"), ("progress__status", "status")],
        field_labels={
            "position": _("Report order"),
            "title": _("Title"),
            "progress__status": _("Status"),
        },
        label=_("Sort by"),
        empty_label=None,  # "Report order" is the first choice: each order listed once
    )

    class Meta:
        model = Recommendation
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("kind", "main")
        super().__init__(data, *args, **kwargs)
        use_actor_picker(self.form.fields["actor"], value=lambda actor: actor.key)

    def filter_search(self, queryset, name, value):
        return recommendations_search(queryset, value)

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_actor

    def filter_actor(self, queryset, name, actors):
        """Any of the actors (and, unless "only", their members, two levels down): the
        recommendations addressed to them or with a line of theirs; with "mentioned", also
        those that only mention them. Subqueries: no query of its own."""
        chosen = [actor.pk for actor in actors]
        if not chosen:
            return queryset
        wanted = actors_meant(chosen, only=self.form.cleaned_data.get("actor_only")).values("pk")
        lines = FollowUpLine.objects.filter(actor__in=wanted).values("recommendation_id")
        match = Q(pk__in=lines) | Q(addressee_links__actor__in=wanted)
        if self.form.cleaned_data.get("mentioned"):
            match |= Q(mentioned_actors__in=wanted)
        return queryset.filter(match).distinct()

    def filter_status(self, queryset, name, values):
        if not values:
            return queryset
        return queryset.filter(
            Q(progress__status__in=values) | Q(restates__progress__status__in=values)
        )

    def filter_kind(self, queryset, name, value):
        if value == "main":
            return queryset.filter(restates__isnull=True)
        if value == "restatements":
            return queryset.filter(restates__isnull=False)
        return queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        overdue = FollowUpLine.objects.followed().active().overdue().values("recommendation_id")
        return queryset.filter(pk__in=overdue)

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        actor_ids = represented_actor_ids(self.request.user) if self.request else frozenset()
        lines = FollowUpLine.objects.filter(actor_id__in=actor_ids).values("recommendation_id")
        return queryset.filter(pk__in=lines)
