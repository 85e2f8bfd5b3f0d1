"""Running in production: the health check (health), request ids and the access log
(access), the log formats (logs), the 500 page (errors), deployment checks (checks) and
backups (backups; `manage.py backup` and `restore`).

An independent sibling of the feature packages: it never imports them, nor they it.
"""
