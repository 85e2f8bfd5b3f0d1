"""The recommendations list's filters: all in the query string, so a view can be shared."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hearings.models import Actor, AgendaPoint, Chapter, Recommendation, Theme

from .models import FollowUpLine, Status
from .permissions import represented_actor_ids
from .selectors import recommendations_search

ANY = _("Any")


class RecommendationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search title and text"), method="filter_search")
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(), to_field_name="key", label=_("Theme"), empty_label=ANY
    )
    agenda = django_filters.ModelChoiceFilter(
        field_name="agenda_points",
        queryset=AgendaPoint.objects.all(),
        to_field_name="key",
        label=_("Action agenda point"),
        empty_label=ANY,
    )
    actor = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.order_by("name"),
        to_field_name="key",
        label=_("Actor"),
        empty_label=ANY,
        method="filter_actor",
    )
    status = django_filters.ChoiceFilter(
        choices=Status.choices, label=_("Overall status"), method="filter_status", empty_label=ANY
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
        empty_label=_("Report order"),
    )

    class Meta:
        model = Recommendation
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("kind", "main")
        super().__init__(data, *args, **kwargs)

    def filter_search(self, queryset, name, value):
        return recommendations_search(queryset, value)

    def filter_actor(self, queryset, name, actor):
        lines = FollowUpLine.objects.filter(actor=actor).values("recommendation_id")
        return queryset.filter(Q(pk__in=lines) | Q(addressee_links__actor=actor)).distinct()

    def filter_status(self, queryset, name, value):
        return queryset.filter(Q(progress__status=value) | Q(restates__progress__status=value))

    def filter_kind(self, queryset, name, value):
        if value == "main":
            return queryset.filter(restates__isnull=True)
        if value == "restatements":
            return queryset.filter(restates__isnull=False)
        return queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        overdue = FollowUpLine.objects.followed().overdue().values("recommendation_id")
        return queryset.filter(pk__in=overdue)

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        actor_ids = represented_actor_ids(self.request.user) if self.request else frozenset()
        lines = FollowUpLine.objects.filter(actor_id__in=actor_ids).values("recommendation_id")
        return queryset.filter(pk__in=lines)
