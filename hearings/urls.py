from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("Follow-up to the 2013 hearings on international migration")
admin.site.site_title = _("Hearings follow-up")
admin.site.index_title = _("The report as data")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
]
