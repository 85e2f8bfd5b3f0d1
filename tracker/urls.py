"""The tracker's URLs: the follow-up pages here, each other concern's from its package."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("recommendations/<str:code>/", views.recommendation_detail, name="recommendation"),
    path("recommendations/<str:code>/lines/add/", views.line_add, name="line-add"),
    path("lines/<int:line_id>/update/", views.line_update, name="line-update"),
    path("lines/<int:line_id>/target/", views.line_target, name="line-target"),
    path("report/", views.report_index, name="report"),
    path("report/chapters/<str:numeral>/", views.report_chapter, name="report-chapter"),
    path("report/paragraphs/<int:number>/", views.report_paragraph, name="report-paragraph"),
    path("", include("tracker.accounts.urls")),
    path("", include("tracker.audit.urls")),
    path("", include("tracker.reports.urls")),
    path("", include("tracker.imports.urls")),
    path("", include("tracker.notifications.urls")),
    path("", include("tracker.evidence.urls")),
    path("", include("tracker.jobs.urls")),
    path("", include("tracker.publication.urls")),
    path("", include("tracker.api.urls")),
]
