"""URLs of the account pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/new/", views.account_edit, name="account-new"),
    path("accounts/<int:user_id>/", views.account_edit, name="account-edit"),
    path("preferences/", views.preferences, name="preferences"),
]
