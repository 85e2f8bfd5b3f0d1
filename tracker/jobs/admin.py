"""Scheduled runs in the admin, read-only: what ran when, what failed, what never finished.
Jobs are not listed: each is its requester's alone (README, "Background jobs")."""

from django.contrib import admin

from .models import ScheduleRun


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = ["entry", "due_at", "started_at", "finished_at", "worker", "error"]
    list_filter = ["entry"]
    date_hierarchy = "due_at"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
