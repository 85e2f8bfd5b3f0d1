from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Follow-up to the 2013 hearings on international migration")
admin.site.site_title = _("Hearings follow-up")
admin.site.index_title = _("The report as data")

urlpatterns = [
    path("auth/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("tracker.urls")),
]
