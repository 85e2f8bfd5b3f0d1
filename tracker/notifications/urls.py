from django.urls import path

from . import views

urlpatterns = [
    path(
        "lines/<int:line_id>/request-update/",
        views.line_request_update,
        name="line-request-update",
    ),
    path("preferences/digest/", views.digest_frequency, name="digest-frequency"),
    path("reminders/unsubscribe/<str:token>/", views.digest_unsubscribe, name="digest-unsubscribe"),
    path("reminders/sent/", views.deliveries, name="deliveries"),
]
