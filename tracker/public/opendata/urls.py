"""/data/ (included from hearings/urls.py)."""

from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("datapackage.json", views.datapackage, name="datapackage"),
    path("<slug:name>.csv", views.download, {"fmt": "csv"}, name="csv"),
    path("<slug:name>.json", views.download, {"fmt": "json"}, name="json"),
]
