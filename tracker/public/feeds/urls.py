"""/feeds/ (included from hearings/urls.py): each feed through public_view."""

from django.urls import path

from tracker.public.serving import public_view

from .feeds import ActorFeed, GcmObjectiveFeed, ThemeFeed, UpdatesFeed

app_name = "feeds"
urlpatterns = [
    path("updates/", public_view(UpdatesFeed()), name="updates"),
    path("actors/<slug:key>/", public_view(ActorFeed()), name="actor"),
    path("themes/<slug:key>/", public_view(ThemeFeed()), name="theme"),
    path("gcm-objectives/<slug:key>/", public_view(GcmObjectiveFeed()), name="gcm-objective"),
]
