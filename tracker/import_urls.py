"""URLs of the import pages (tracker/import_views.py)."""

urlpatterns = []
