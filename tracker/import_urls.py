"""URLs of the import pages (tracker/import_views.py)."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("import/", import_views.import_upload, name="import"),
    path("import/confirm/", import_views.import_confirm, name="import-confirm"),
]
