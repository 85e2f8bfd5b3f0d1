"""The audit log page: what changed, who changed it and when (django-auditlog)."""
