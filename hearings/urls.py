from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tracker.accounts.urls import auth_urlpatterns

# The app's own name, as every page's header shows it (templates/base.html).
admin.site.site_header = _(
    "2013 hearings on international migration and development · Follow-up tracker"
)
admin.site.site_title = _("Hearings follow-up")
admin.site.index_title = _("The report as data")

# The 500 page shows the request's id, for the user to quote to support.
handler500 = "tracker.ops.errors.server_error"

urlpatterns = [
    # The throttled password reset first; Django's auth pages for the rest.
    path("auth/", include(auth_urlpatterns)),
    path("auth/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    # The public site (/public/, /sitemap.xml, /robots.txt): no login.
    path("", include("tracker.public.urls")),
    # Open data and feeds of the public follow-up (tracker/public/), no login.
    path("data/", include("tracker.public.opendata.urls")),
    path("feeds/", include("tracker.public.feeds.urls")),
    path("", include("tracker.urls")),
]
