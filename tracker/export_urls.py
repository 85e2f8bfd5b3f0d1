"""URLs of the export pages (tracker/export_views.py)."""

urlpatterns = []
