"""URLs of the export page."""

from django.urls import path

from . import views

urlpatterns = [
    path("export/", views.export, name="export"),
    path("export/background/", views.export_background, name="export-background"),
]
