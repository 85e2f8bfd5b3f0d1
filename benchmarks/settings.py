"""Production settings for measuring pages in-process (django.test.Client): the app's own
settings, read from the environment that benchmarks/run_size.py sets (DEBUG off, a real
secret key), with one change: static files by their plain names, so no collectstatic run
is needed (the manifest lookup it replaces is a dictionary read)."""

from hearings.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
