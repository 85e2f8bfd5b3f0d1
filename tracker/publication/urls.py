"""URLs of the publication pages: the Public site page and the timeline's buttons."""

from django.urls import path

from . import views

urlpatterns = [
    path("public-site/", views.public_site, name="public-site"),
    path("public-site/switch/", views.site_switch, name="public-site-switch"),
    path("public-site/target-dates/", views.target_dates_switch, name="public-site-target-dates"),
    path("updates/<int:update_id>/publish/", views.update_publish, name="update-publish"),
    path("updates/<int:update_id>/withdraw/", views.update_withdraw, name="update-withdraw"),
    path(
        "recommendations/<str:code>/public/withhold/",
        views.recommendation_withhold,
        name="recommendation-withhold",
    ),
    path(
        "recommendations/<str:code>/public/release/",
        views.recommendation_release,
        name="recommendation-release",
    ),
    path("lines/<int:line_id>/public/withhold/", views.line_withhold, name="line-withhold"),
    path("lines/<int:line_id>/public/release/", views.line_release, name="line-release"),
]
