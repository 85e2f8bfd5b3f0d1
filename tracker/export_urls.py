"""URLs of the export pages (tracker/export_views.py)."""

from django.urls import path

from . import export_views

urlpatterns = [
    path("export/", export_views.export, name="export"),
]
