"""The audit log's filters, all in the query string: who, kind of object, from and to (dates
in the user's time zone). The page and the CSV read the same ones."""

import datetime

import django_filters
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from axes.models import AccessAttempt
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tracker.models import EARLIEST_TARGET_DATE, LATEST_DATE

from .changes import LOCKOUT_EVENT

# "Who" for the changes no user made.
LOADER, FAILED_LOGINS = "loader", "failed-logins"
LOCKOUT = Q(additional_data__event=LOCKOUT_EVENT)
DATE_RANGE_MESSAGE = _("Enter a date between 1 January 2013 and 31 December 2100.")


def log_entries():
    """Every audit entry, newest first (the id breaks ties, so pages never overlap)."""
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def audited_models():
    """The models whose changes are audited, and the login attempts of names that have no
    account (their lockouts are audited on that row: tracker.accounts.lockouts)."""
    return [*auditlog.get_models(), AccessAttempt]


def kind_choices():
    choices = [
        (f"{model._meta.app_label}.{model._meta.model_name}", capfirst(model._meta.verbose_name))
        for model in audited_models()
    ]
    return sorted(choices, key=lambda choice: str(choice[1]))


def who_choices():
    """The changes no user made, then every account (one query)."""
    users = get_user_model().objects.order_by("username")
    users = users.only("username", "first_name", "last_name")
    accounts = []
    for user in users:
        full_name = user.get_full_name()
        name = user.get_username()
        accounts.append((str(user.pk), f"{name} ({full_name})" if full_name else name))
    return [
        (LOADER, _("The catalogue loader or command line")),
        (FAILED_LOGINS, _("Failed logins")),
        *accounts,
    ]


def _date_field(label, method):
    return django_filters.DateFilter(
        label=label,
        method=method,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[
            MinValueValidator(EARLIEST_TARGET_DATE, message=DATE_RANGE_MESSAGE),
            MaxValueValidator(LATEST_DATE, message=DATE_RANGE_MESSAGE),
        ],
    )


class AuditFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("This date is before the one in “From”."))
        return data


class AuditFilter(django_filters.FilterSet):
    who = django_filters.ChoiceFilter(label=_("Who"), method="filter_who", empty_label=_("Anyone"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind of object"), method="filter_kind", empty_label=_("Any")
    )
    date_from = _date_field(_("From"), "filter_from")
    date_to = _date_field(_("To"), "filter_to")

    class Meta:
        model = LogEntry
        fields = []
        form = AuditFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["who"].extra["choices"] = who_choices()
        self.filters["kind"].extra["choices"] = kind_choices()

    def filter_who(self, queryset, name, value):
        if not value:
            return queryset
        if value == LOADER:
            return queryset.filter(actor__isnull=True).exclude(
                pk__in=LogEntry.objects.filter(LOCKOUT).values("pk")
            )
        if value == FAILED_LOGINS:
            return queryset.filter(LOCKOUT, actor__isnull=True)
        return queryset.filter(actor_id=int(value))

    def filter_kind(self, queryset, name, value):
        if not value:
            return queryset
        app_label, model_name = value.split(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model_name)

    # Dates are days in the active time zone (the user's): from the start of "from" to
    # the end of "to".
    def filter_from(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(timestamp__gte=_midnight(value))

    def filter_to(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(timestamp__lt=_midnight(value + datetime.timedelta(days=1)))


def _midnight(day):
    moment = datetime.datetime.combine(day, datetime.time.min)
    return timezone.make_aware(moment, timezone.get_current_timezone())
