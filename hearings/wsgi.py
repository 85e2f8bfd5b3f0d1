"""WSGI entry point (gunicorn hearings.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearings.settings")
application = get_wsgi_application()
