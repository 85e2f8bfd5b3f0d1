"""The public site's URLs: /public/..., and /sitemap.xml and /robots.txt at the root."""

from django.urls import path

from . import sitemaps, views

app_name = "public"

urlpatterns = [
    path("public/", views.dashboard, name="dashboard"),
    path("public/recommendations/", views.recommendation_list, name="recommendations"),
    path("public/recommendations/<str:code>/", views.recommendation_detail, name="recommendation"),
    path("public/actors/", views.actor_list, name="actors"),
    path("public/actors/<slug:key>/", views.actor_detail, name="actor"),
    path("public/report/", views.report_index, name="report"),
    path("public/report/chapters/<str:numeral>/", views.report_chapter, name="report-chapter"),
    path("public/report/paragraphs/<int:number>/", views.report_paragraph, name="report-paragraph"),
    path("public/evidence/<uuid:key>/", views.evidence_download, name="evidence-download"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
]
