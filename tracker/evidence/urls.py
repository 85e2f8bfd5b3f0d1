from django.urls import path

from . import views

urlpatterns = [
    path("evidence/<uuid:key>/", views.evidence_download, name="evidence-download"),
    path("evidence/<uuid:key>/withdraw/", views.evidence_withdraw, name="evidence-withdraw"),
]
