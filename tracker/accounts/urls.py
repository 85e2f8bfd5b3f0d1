"""URLs of the account pages, and the tracker's own password reset (auth_urlpatterns,
mounted under /auth/ by hearings/urls.py ahead of Django's)."""

from django.urls import path

from . import views

urlpatterns = [
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/new/", views.account_edit, name="account-new"),
    path("accounts/unlock/", views.account_unlock, name="account-unlock"),
    path("accounts/<int:user_id>/", views.account_edit, name="account-edit"),
    path("preferences/", views.preferences, name="preferences"),
    path("language/", views.language_choose, name="language"),
]

auth_urlpatterns = [
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
]
