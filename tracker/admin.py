"""Follow-up in the admin: readable by staff; changes go through the app's own pages."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hearings.models import Actor, Recommendation
from hearings.text import ADMIN_TEXT_OVERRIDES

from .models import FollowUpLine, Profile, RecommendationProgress, StatusUpdate


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnlyAdmin):
    """Append-only: the history is the record."""

    ordering = ["-recorded_at", "-id"]  # newest first, as an index holds them
    show_full_result_count = False
    list_display = ["line", "status", "effective_date", "recorded_by", "recorded_at"]
    list_filter = ["status"]
    list_select_related = ["line__recommendation", "line__actor", "recorded_by"]
    search_fields = ["note", "line__recommendation__code"]
    date_hierarchy = "effective_date"


@admin.register(FollowUpLine)
class FollowUpLineAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "actor", "status", "target_date", "addressed"]
    list_filter = ["status", "addressed"]
    list_select_related = ["recommendation", "actor"]
    # In the order of the unique index (recommendation, actor): no sort of joined rows.
    ordering = ["recommendation_id", "actor_id"]
    show_full_result_count = False
    search_fields = ["recommendation__code", "actor__name"]
    search_help_text = _(
        "The beginning of a recommendation's code (R30, B0001), or part of an actor's name."
    )

    def get_search_results(self, request, queryset, search_term):
        """Codes by their beginning (the code's index) and actors by name (a small table),
        each matched as keys of the lines' own indexes, not as a join searched row by row."""
        term = search_term.strip()
        if not term:
            return queryset, False
        codes = Recommendation.objects.filter(code__startswith=term).values("pk")
        actors = list(Actor.objects.filter(name__icontains=term).values_list("pk", flat=True))
        return queryset.filter(Q(recommendation__in=codes) | Q(actor__in=actors)), False


@admin.register(RecommendationProgress)
class RecommendationProgressAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "status"]
    list_filter = ["status"]
    list_select_related = ["recommendation"]


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "role"]
    list_filter = ["role"]
    list_select_related = ["user"]


# Accounts edited in the admin: names and e-mail addresses under hearings.text's rule too.
User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    formfield_overrides = {
        models.CharField: ADMIN_TEXT_OVERRIDES,
        models.TextField: ADMIN_TEXT_OVERRIDES,
    }
