"""django-auditlog's middleware, with the client address of the one rule
(tracker.clients) instead of its own reading of X-Forwarded-For, which trusts its
left-most, client-written entry."""

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings

from tracker.clients import client_address


class AuditlogMiddleware(BaseAuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request)
