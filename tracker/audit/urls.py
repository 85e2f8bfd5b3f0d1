"""URLs of the audit log: the page and its CSV."""

from django.urls import path

from . import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit"),
    path("audit/audit-log.csv", views.audit_csv, name="audit-csv"),
]
