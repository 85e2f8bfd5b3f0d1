"""The public version: a number that grows with every committed write to public content.

Public pages key their ETag and their cache entry on it, so a write makes every cached
public page stale at once, and a conditional GET is answered 304 from one small read.

It is the sum of SHARDS counter rows. A writer adds 1 to one row in its own transaction, so
the sum grows exactly when that transaction commits (never before, never lost on a
rollback). On PostgreSQL a writer takes a row no other transaction holds (SKIP LOCKED),
starting from one picked by its connection, so a long import holds one or two rows and
never makes other users' updates wait; SQLite has one writer at a time anyway.
"""

from django.db import connections, router
from django.db.models import Sum

from .models import PublicVersion

SHARDS = 16


def bump() -> None:
    """Move the version, in the caller's transaction."""
    alias = router.db_for_write(PublicVersion)
    table = PublicVersion._meta.db_table
    connection = connections[alias]
    if connection.vendor == "postgresql":
        sql = (
            f"UPDATE {table} SET n = n + 1 WHERE shard = COALESCE(("  # noqa: S608 - no input
            f"SELECT shard FROM {table} ORDER BY mod(shard + pg_backend_pid(), {SHARDS}) "
            f"LIMIT 1 FOR UPDATE SKIP LOCKED), 0)"
        )
    else:
        sql = f"UPDATE {table} SET n = n + 1 WHERE shard = 0"  # noqa: S608 - no input
    with connection.cursor() as cursor:
        cursor.execute(sql)
        if cursor.rowcount:
            return
    # No shards yet (a new database, or one a test flushed): make them, then count.
    PublicVersion.objects.using(alias).bulk_create(
        [PublicVersion(shard=shard, n=0) for shard in range(SHARDS)], ignore_conflicts=True
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)


def current() -> int:
    """The version now: one aggregate over SHARDS rows."""
    return PublicVersion.objects.aggregate(total=Sum("n"))["total"] or 0
