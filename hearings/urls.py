from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tracker.accounts.urls import auth_urlpatterns
from tracker.public import urls as public_urls

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
    # Django's set_language (the staff pages' switcher posts to tracker.accounts' wrapper).
    path("i18n/", include("django.conf.urls.i18n")),
    # The public site's files (/sitemap.xml, /robots.txt) and /public/... without a
    # language, redirected to the browser's: no login.
    path("", include((public_urls.files, "public-files"))),
    # Open data and feeds of the public follow-up (tracker/public/), no login.
    path("data/", include("tracker.public.opendata.urls")),
    path("feeds/", include("tracker.public.feeds.urls")),
    path("", include("tracker.urls")),
    # The public site's pages, in each language: /en/public/, /fr/public/... (no login).
    *i18n_patterns(path("", include("tracker.public.urls")), prefix_default_language=True),
]
