"""The one rule for the client's address (tracker/clients.py): REMOTE_ADDR unless proxies
are trusted, then the N-th address from the right of X-Forwarded-For; a forged left part
is ignored and a malformed header falls back to REMOTE_ADDR."""

import pytest
from django.test import RequestFactory

from tracker.clients import client_address

PROXY = "10.0.0.2"


def request(remote=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "forwarded", [None, "203.0.113.9", "198.51.100.1, 203.0.113.9", "not an address"]
)
def test_without_trusted_proxies_the_header_is_ignored(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(forwarded=forwarded)) == PROXY


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # The client wrote the left part: only what our proxy appended counts.
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        (1, "1.1.1.1,2.2.2.2,3.3.3.3, 203.0.113.9", "203.0.113.9"),
        (1, "anything at all, even <script>, 203.0.113.9", "203.0.113.9"),
        # Two proxies: the first appended the client, the second the first proxy.
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "203.0.113.9, 10.0.0.1", "203.0.113.9"),
        # IPv6, in canonical form.
        (1, "2001:DB8:0:0::1", "2001:db8::1"),
        (1, " 203.0.113.9 ", "203.0.113.9"),
    ],
)
def test_behind_proxies_the_nth_address_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request(forwarded=forwarded)) == expected


@pytest.mark.parametrize(
    ("count", "forwarded"),
    [
        (1, None),  # no header: a request that did not come through the proxy
        (1, ""),
        (1, "   "),
        (1, "203.0.113.9, "),  # what the proxy appended is empty
        (1, "203.0.113.9, garbage"),
        (1, "203.0.113.9, 999.1.1.1"),
        (1, "203.0.113.9:443"),  # with a port: not an address
        (1, "[2001:db8::1]"),
        (1, "unknown"),
        (2, "203.0.113.9"),  # fewer hops than trusted proxies
        (3, "203.0.113.9, 10.0.0.1"),
        (1, "203.0.113.9\x00"),
    ],
)
def test_a_malformed_header_falls_back_to_remote_addr(settings, count, forwarded):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request(forwarded=forwarded)) == PROXY


def test_a_long_forged_header_is_cheap_and_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forged = ",".join(["198.51.100.1"] * 100_000) + ", 203.0.113.9"
    assert client_address(request(forwarded=forged)) == "203.0.113.9"


def test_an_unusable_remote_addr_is_none(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(remote="")) is None
    assert client_address(request(remote="not-an-ip")) is None
