"""Virus scanning through clamd's INSTREAM command, where CLAMD_SOCKET names a scanner.

The protocol (clamd(8)): send `zINSTREAM\\0`, then the file in chunks, each preceded by
its length as 4 bytes in network order, then a zero length; clamd answers one
NUL-terminated line: `stream: OK`, `stream: <signature> FOUND`, or `<message> ERROR`
(e.g. when the stream passes its StreamMaxLength). A dozen lines of protocol: written
here rather than through a client library (the `clamd` package has had no release since
2014).

CLAMD_SOCKET is a Unix socket path (`/run/clamav/clamd.ctl`) or `tcp://host:port`. A
scanner that is configured but does not answer refuses the upload (ScannerUnavailable):
a file is never stored as scanned when it was not.
"""

import logging
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

REPLY_LIMIT = 4096


class ScannerUnavailable(Exception):
    """The configured scanner could not scan the file (unreachable, timed out, or it said
    ERROR); the message is for the logs, not the user."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""  # the virus clamd found


def is_configured() -> bool:
    return bool(settings.CLAMD_SOCKET)


def _connect() -> socket.socket:
    address = settings.CLAMD_SOCKET
    timeout = settings.CLAMD_TIMEOUT_SECONDS
    if address.startswith("tcp://"):
        parts = urlsplit(address)
        try:
            port = parts.port
        except ValueError:
            port = None
        if not parts.hostname or not port:
            raise ScannerUnavailable(f"CLAMD_SOCKET {address!r} needs a host and a port")
        return socket.create_connection((parts.hostname, port), timeout=timeout)
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(timeout)
    try:
        connection.connect(address)
    except BaseException:
        connection.close()
        raise
    return connection


def scan(chunks: Iterable[bytes]) -> Verdict:
    """Stream the chunks to clamd and read its verdict; ScannerUnavailable if it cannot."""
    try:
        with _connect() as connection:
            connection.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                if chunk:
                    connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            reply = _read_reply(connection)
    except OSError as error:  # refused, missing socket, timed out, reset mid-stream
        raise ScannerUnavailable(f"clamd at {settings.CLAMD_SOCKET}: {error}") from error
    return _verdict(reply)


def _read_reply(connection) -> str:
    data = b""
    while b"\0" not in data and len(data) < REPLY_LIMIT:
        part = connection.recv(REPLY_LIMIT)
        if not part:
            break
        data += part
    return data.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def _verdict(reply: str) -> Verdict:
    if reply.endswith("FOUND"):
        found = reply.removeprefix("stream:").removesuffix("FOUND").strip()
        return Verdict(infected=True, signature=found)
    if reply == "stream: OK":
        return Verdict(infected=False)
    raise ScannerUnavailable(f"clamd answered {reply!r}")
