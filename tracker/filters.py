"""The recommendations list's filters: all in the query string, so a view can be shared.
Actor, theme, agenda point, Global Compact objective, SDG target and status take several
values (any of them); the filters together must all hold."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearings.models import (
    Actor,
    Addressee,
    AgendaPoint,
    Chapter,
    GcmObjective,
    GcmTag,
    Recommendation,
    SdgTag,
    SdgTarget,
    Theme,
)
from hearings.translation import DEFAULT, active_language, column, sort_key

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


def actor_ids_meant(chosen_ids, *, only=False) -> list[int]:
    """The ids of actors_meant, read once (a small table), so that the list's query
    compares indexed keys with constants rather than re-joining the groups per row."""
    return sorted(actors_meant(chosen_ids, only=only).values_list("pk", flat=True))


# Up to this many lines, the recommendations are read first and named by id.
FEW_LINES = 2000


def with_lines_of(lines) -> Q:
    """The recommendations with one of these lines. Lines of a few actors (one Member
    State: a few thousand at most) are read first (one query on the actor's index) and
    their recommendations named by id; for many lines (Governments and every Member
    State), EXISTS per recommendation. Either way the database never walks the whole list
    in report order looking for a rare actor's entries, whatever their spread."""
    ids = list(lines.order_by().values_list("recommendation_id", flat=True)[: FEW_LINES + 1])
    if len(ids) <= FEW_LINES:
        return Q(pk__in=sorted(set(ids)))
    return Q(Exists(lines.filter(recommendation=OuterRef("pk"))))


def title_sort_name(language: str) -> str:
    """The sort key of "by title" in a language: the title in it, else in English (an
    expression index per language serves it, hearings.translation.sort_indexes). A cursor
    names it, so a later page's link made in another language is refused, not misread."""
    return "title" if language == DEFAULT else f"sort_{column('title', language)}"


class TitleOrderingFilter(django_filters.OrderingFilter):
    """Sorting by title sorts by the title in the reader's language, English where there
    is none."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        name = title_sort_name(active_language())
        order = [str(field) for field in qs.query.order_by]
        if name == "title" or not any(field.lstrip("-") == "title" for field in order):
            return qs
        order = [field.replace("title", name) if field.lstrip("-") == "title" else field
                 for field in order]  # fmt: skip
        return qs.annotate(**{name: sort_key("title")}).order_by(*order)


class RecommendationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search title and text"), method="filter_search")
    theme = django_filters.ModelMultipleChoiceFilter(
        queryset=Theme.objects.order_by("number"),
        method="filter_theme",
        to_field_name="key",
        label=_("Theme"),
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = django_filters.ModelMultipleChoiceFilter(
        queryset=AgendaPoint.objects.order_by("number"),
        method="filter_agenda",
        to_field_name="key",
        label=_("Action agenda point"),
        widget=forms.CheckboxSelectMultiple,
    )
    gcm = django_filters.ModelMultipleChoiceFilter(
        queryset=GcmObjective.objects.order_by("number"),
        method="filter_gcm",
        to_field_name="key",
        label=_("Global Compact objective"),
        widget=forms.CheckboxSelectMultiple,
    )
    sdg = django_filters.ModelMultipleChoiceFilter(
        queryset=SdgTarget.objects.order_by("position"),
        method="filter_sdg",
        to_field_name="key",
        label=_("SDG target"),
        widget=forms.CheckboxSelectMultiple,
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
    sort = TitleOrderingFilter(
        fields=[("position", "report"), ("title", "title"), ("progress__status", "status")],
        field_labels={
            "position": _("Report order"),
            "title": _("Title"),
            "progress__status": _("Status"),
            # Each descending label whole: django-filter would join "(descending)" to the
            # label once, in English, when this module is imported.
            "-report": _("Report order (descending)"),
            "-title": _("Title (descending)"),
            "-status": _("Status (descending)"),
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

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.is_bound and self.is_valid() else None
        if self.form.cleaned_data.get("kind") == "main" and any("status" in s for s in sort or []):
            # Every main recommendation has its progress: an inner join, which lets the
            # database read them in the order of the progress index (status, id).
            queryset = queryset.filter(progress__isnull=False)
        return queryset

    def rows_of(self, queryset):
        """What paging reads a page's rows with: the list's rows, with the sort key."""
        name = title_sort_name(active_language())
        if name != "title":
            queryset = queryset.annotate(**{name: sort_key("title")})
        return queryset.filter

    def lines(self):
        """The lines the actor filter looks at (the public site's: only public ones)."""
        return FollowUpLine.objects.all()

    def filter_search(self, queryset, name, value):
        return recommendations_search(queryset, value)

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_actor

    def filter_actor(self, queryset, name, actors):
        """Any of the actors (and, unless "only", their members, two levels down): the
        recommendations addressed to them or with a line of theirs; with "mentioned", also
        those that only mention them. EXISTS on indexed keys: no query of its own, and no
        DISTINCT over a join."""
        chosen = [actor.pk for actor in actors]
        if not chosen:
            return queryset
        wanted = actor_ids_meant(chosen, only=self.form.cleaned_data.get("actor_only"))
        rec = OuterRef("pk")
        match = with_lines_of(self.lines().filter(actor__in=wanted))
        # Every addressee of a main recommendation has a line (services.lines_sync): only
        # restatements need their addressees looked at, and an OR of the two would make
        # the database hash every line of a large group first.
        if self.form.cleaned_data.get("kind") != "main":
            match |= Exists(Addressee.objects.filter(recommendation=rec, actor__in=wanted))
        if self.form.cleaned_data.get("mentioned"):
            mentions = Recommendation.mentioned_actors.through.objects
            match |= Exists(mentions.filter(recommendation=rec, actor__in=wanted))
        return queryset.filter(match)

    def filter_theme(self, queryset, name, themes):
        return queryset.filter(theme__in=[theme.pk for theme in themes]) if themes else queryset

    def filter_agenda(self, queryset, name, points):
        if not points:
            return queryset
        through = Recommendation.agenda_points.through.objects
        return queryset.filter(
            Exists(
                through.filter(
                    recommendation=OuterRef("pk"), agendapoint__in=[p.pk for p in points]
                )
            )
        )

    def filter_gcm(self, queryset, name, objectives):
        """Tagged with any of these objectives: EXISTS on the tag index (objective, rec)."""
        if not objectives:
            return queryset
        tags = GcmTag.objects.filter(objective__in=[o.pk for o in objectives])
        return queryset.filter(Exists(tags.filter(recommendation=OuterRef("pk"))))

    def filter_sdg(self, queryset, name, targets):
        """Tagged with any of these targets: EXISTS on the tag index (target, rec)."""
        if not targets:
            return queryset
        tags = SdgTag.objects.filter(target__in=[t.pk for t in targets])
        return queryset.filter(Exists(tags.filter(recommendation=OuterRef("pk"))))

    def filter_status(self, queryset, name, values):
        """The overall status: a main recommendation's own, a restatement's main entry's."""
        if not values:
            return queryset
        kind = self.form.cleaned_data.get("kind")
        own, restated = Q(progress__status__in=values), Q(restates__progress__status__in=values)
        if kind == "main":
            return queryset.filter(own)
        if kind == "restatements":
            return queryset.filter(restated)
        return queryset.filter(own | restated)

    def filter_kind(self, queryset, name, value):
        if value == "main":
            return queryset.filter(restates__isnull=True)
        if value == "restatements":
            return queryset.filter(restates__isnull=False)
        return queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        # Open lines counted on the dashboard (followed and active) past their target date.
        overdue = FollowUpLine.objects.counted_open().filter(
            recommendation=OuterRef("pk"), target_date__lt=timezone.localdate()
        )
        return queryset.filter(Exists(overdue))

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        actor_ids = represented_actor_ids(self.request.user) if self.request else frozenset()
        return queryset.filter(with_lines_of(FollowUpLine.objects.filter(actor_id__in=actor_ids)))


# Filters whose count the dashboard's figures hold, one group of these at a time.
GROUP_FILTERS = {"agenda": "agenda_point", "gcm": "gcm_objective", "sdg": "sdg_target"}


def figure_count_filters(data) -> dict | None:
    """The list's cleaned filters as the figures count them, or None when the figures do
    not hold that count: main recommendations by theme (or one agenda point, Global Compact
    objective or SDG target) and status. The staff and public lists count from their own
    figures with these; otherwise they count up to paging.COUNT_CAP."""
    themes = data.get("theme") or []
    groups = {name: data.get(name) for name in GROUP_FILTERS if data.get(name)}
    others = any(
        value
        for name, value in data.items()
        if name not in ("kind", "sort", "theme", "status", *GROUP_FILTERS)
    )
    chosen = [group for values in groups.values() for group in values]
    if others or data.get("kind") != "main" or (themes and chosen) or len(chosen) > 1:
        return None
    one = {GROUP_FILTERS[name]: values[0] for name, values in groups.items()}
    return {"themes": themes, "statuses": data.get("status") or (), **one}
