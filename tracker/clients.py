"""The one rule for a client's network address, used by everything that needs it (login
lockouts, throttles, the audit log).

Behind `TRUSTED_PROXY_COUNT` proxies, each of which appends the address it received the
request from to X-Forwarded-For, the client is the N-th address from the right of that
header: anything to its left was written by the client and is ignored. With no trusted
proxy (the default), X-Forwarded-For is ignored and the address is REMOTE_ADDR. A header
that is missing, too short or whose N-th address is not an IP address falls back to
REMOTE_ADDR, so a forged or malformed header never chooses the address.
"""

import ipaddress

from django.conf import settings


def _ip(value) -> str | None:
    """The address in its canonical form, or None when value is not an IP address."""
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's IP address under the rule above (None only if REMOTE_ADDR is unusable)."""
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    # rsplit keeps a long forged left part in one piece: only the right-most N matter.
    hops = forwarded.rsplit(",", count)
    if not forwarded.strip() or len(hops) < count:
        return remote
    return _ip(hops[-count]) or remote
