"""The public site's URLs. Its pages carry their language, `/<language>/public/...` for
each of settings.LANGUAGES (hearings/urls.py mounts `urlpatterns` in i18n_patterns);
`files` stay at the root: /sitemap.xml, /robots.txt, and /public/... without a language,
redirected to the browser's (serving.language_redirect)."""

from django.urls import path

from . import serving, sitemaps, views

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
]

# Named in the "public-files" namespace (hearings/urls.py).
files = [
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("public/", serving.language_redirect, name="unprefixed"),
    path("public/<path:rest>", serving.language_redirect, name="unprefixed-page"),
]
