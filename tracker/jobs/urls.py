"""URLs of a background job's pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("jobs/<int:job_id>/", views.job_page, name="job"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job-progress"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job-download"),
]
