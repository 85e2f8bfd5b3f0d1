"""The filters of the page of e-mails sent: state and kind, in the query string."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Delivery, DeliveryKind, DeliveryState


class DeliveryFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=DeliveryState.choices, empty_label=_("Any")
    )
    kind = django_filters.ChoiceFilter(
        label=_("What"), choices=DeliveryKind.choices, empty_label=_("Any")
    )

    class Meta:
        model = Delivery
        fields = []
