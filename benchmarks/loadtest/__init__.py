"""`make loadtest`: gunicorn under locust, one instance then two behind HAProxy (run.py)."""
