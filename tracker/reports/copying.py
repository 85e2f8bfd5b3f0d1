"""CSV straight from PostgreSQL: `COPY (query) TO STDOUT WITH (FORMAT csv)` through
psycopg2's copy_expert, to a file or as a stream of chunks, in constant memory.

The rows come out as Python's csv module writes them (tracker.reports.tables writes the
header and, on other databases, the rows): the same quoting (a field is quoted when it
holds a comma, a quote or a line break; quotes doubled; NULL is an empty field) and, since
each row ends `\\r\\n` there, COPY's `\\n` row ends become `\\r\\n` (libpq hands over one
whole row at a time, so each row's last byte is its end; line breaks inside quoted fields
stay `\\n`, as Python writes them).

copy_expert pushes rows into a file until the query is done. A stream is pulled instead
(an HTTP response is read as the client takes it), so the COPY runs in a thread on the
same database connection (the caller's thread waits and does nothing else with it),
handing chunks over through a short queue: memory holds at most a few chunks. If the
reader stops early (the client went away), the query is cancelled on the server.
"""

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress

from django.db import connection

CHUNK_BYTES = 256 * 1024
QUEUED_CHUNKS = 4
_DONE = object()


def available() -> bool:
    """COPY serves this database: PostgreSQL through psycopg2 (Django's other PostgreSQL
    driver, psycopg 3, has no copy_expert)."""
    return connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"


class _Rows:
    """The file copy_expert writes to: each row's `\\n` made `\\r\\n`, rows gathered into
    chunks of about CHUNK_BYTES handed to `emit`."""

    def __init__(self, emit):
        self.emit, self.buffer, self.stopped = emit, bytearray(), False

    def write(self, row: bytes) -> None:
        if self.stopped:
            return
        self.buffer += row
        self.buffer[-1:] = b"\r\n"
        if len(self.buffer) >= CHUNK_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.buffer and not self.stopped:
            self.emit(bytes(self.buffer))
        self.buffer = bytearray()


@contextmanager
def _copy_cursor(query: str, params):
    """A cursor on the default connection and the COPY statement of the query; a query
    the test tools and DEBUG count and log like any other."""
    with connection.cursor() as cursor:
        statement = cursor.mogrify(query, params).decode()
        statement = f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)"
        debug = getattr(cursor, "debug_sql", None)
        with debug(statement) if debug else nullcontext():
            yield cursor.cursor, statement


def copy_to(query: str, params, out) -> None:
    """Write the query's rows as CSV to a binary file."""
    with _copy_cursor(query, params) as (cursor, statement):
        rows = _Rows(out.write)
        cursor.copy_expert(statement, rows)
        rows.flush()


def copy_chunks(query: str, params) -> Iterator[bytes]:
    """The query's rows as CSV, in chunks of about CHUNK_BYTES, as they are read."""
    with _copy_cursor(query, params) as (cursor, statement):
        chunks: queue.Queue = queue.Queue(maxsize=QUEUED_CHUNKS)
        rows = _Rows(chunks.put)

        def copy():
            try:
                cursor.copy_expert(statement, rows)
                rows.flush()
                chunks.put(_DONE)
            except BaseException as error:  # handed to the reader, raised there
                chunks.put(error)

        worker = threading.Thread(target=copy, name="export-copy", daemon=True)
        worker.start()
        try:
            while (chunk := chunks.get()) is not _DONE:
                if isinstance(chunk, BaseException):
                    raise chunk
                yield chunk
        finally:
            if worker.is_alive():  # the reader stopped early: stop the query
                rows.stopped = True
                cursor.connection.cancel()
                while worker.is_alive():
                    with suppress(queue.Empty):
                        chunks.get(timeout=0.1)
            worker.join()
