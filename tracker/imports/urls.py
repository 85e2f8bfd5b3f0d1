"""URLs of the bulk import pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("import/jobs/<int:job_id>/", views.import_job, name="import-job"),
]
