"""The public list's filters: the staff list's (tracker.filters), over public rows only.

The same names, values and rules in the URL, so a link works on either side, except
"mine" (nobody is logged in here) and "overdue" (only while target dates are public).
Lines, overdue lines and overall statuses are the public ones: lines kept out of public
view match no filter, and a recommendation with such a line is filtered and sorted by
its public roll-up (tracker.public.shares).
"""

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from tracker.filters import RecommendationFilter
from tracker.models import overdue_condition
from tracker.publication import visibility

from .shares import NOTHING, Withheld

SORT_BY_STATUS = "progress__status"
PUBLIC_STATUS = "public_status_key"


class PublicRecommendationFilter(RecommendationFilter):
    mine = None

    def __init__(
        self, data=None, *args, shares: Withheld = NOTHING, target_dates_public=False, **kwargs
    ):
        self.shares = shares
        super().__init__(data, *args, **kwargs)
        if not target_dates_public:
            del self.filters["overdue"]
            del self.form.fields["overdue"]

    def lines(self):
        return visibility.lines()

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        overdue = self.lines().filter(
            overdue_condition(timezone.localdate()), recommendation=OuterRef("pk")
        )
        return queryset.filter(Exists(overdue))

    def filter_status(self, queryset, name, values):
        rollups = self.shares.rollups
        if not values or not rollups:
            return super().filter_status(queryset, name, values)
        affected = sorted(rollups)
        hits = sorted(pk for pk, (status, _counts) in rollups.items() if status in values)
        own = (Q(progress__status__in=values) & ~Q(pk__in=affected)) | Q(pk__in=hits)
        restated = (Q(restates__progress__status__in=values) & ~Q(restates_id__in=affected)) | Q(
            restates_id__in=hits
        )
        kind = self.form.cleaned_data.get("kind")
        if kind == "main":
            return queryset.filter(own)
        if kind == "restatements":
            return queryset.filter(restated)
        return queryset.filter(own | restated)

    def status_key(self):
        """The overall status to sort by where a roll-up differs from the stored one;
        None when none does (then the stored status and its index serve the sort)."""
        rollups = self.shares.rollups
        if not rollups:
            return None
        by_status: dict[str, list[int]] = {}
        for pk, (status, _counts) in rollups.items():
            by_status.setdefault(status, []).append(pk)
        return Case(
            *[When(pk__in=sorted(pks), then=Value(status)) for status, pks in by_status.items()],
            default=F(SORT_BY_STATUS),
            output_field=CharField(),
        )

    @property
    def qs(self):
        queryset = super().qs
        key = self.status_key()
        order = [str(field) for field in queryset.query.order_by]
        if key is None or not any(field.lstrip("-") == SORT_BY_STATUS for field in order):
            return queryset
        order = [field.replace(SORT_BY_STATUS, PUBLIC_STATUS) for field in order]
        return queryset.annotate(**{PUBLIC_STATUS: key}).order_by(*order)

    def rows_of(self, queryset):
        """What paging reads a page's rows with: the list's rows, with the sort key."""
        key = self.status_key()
        if key is not None:
            queryset = queryset.annotate(**{PUBLIC_STATUS: key})
        return super().rows_of(queryset)
