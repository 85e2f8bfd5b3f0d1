"""The benchmarks' own databases: a PostgreSQL database that is created empty and dropped
after, or a SQLite file in a temporary folder. A database that is not the benchmarks' own
is never touched: its name must contain "bench"."""

import os
from urllib.parse import urlsplit, urlunsplit

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
MARK = "bench"


class NotABenchDatabase(Exception):
    """The URL names a database that the benchmarks must not empty."""


def postgres_url(name: str, base: str | None = None) -> str:
    """The URL of database `name` on DATABASE_URL's server (same user, host and port), or
    on the local server when DATABASE_URL is unset or not PostgreSQL."""
    base = base if base is not None else os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        base = DEFAULT_SERVER
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def bench_url(default_name: str = "hearings_bench") -> str:
    """DATABASE_URL if it names a benchmark database, else `default_name` on its server
    (DATABASE_URL=.../hearings gives .../hearings_bench: the real one is never used)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")) and MARK in database_name(url):
        return url
    return postgres_url(default_name, url)


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _admin(url: str):
    """A connection to the server's `postgres` database (CREATE and DROP DATABASE)."""
    import dj_database_url
    import psycopg2

    db = dj_database_url.parse(url)
    params = {"dbname": "postgres", "user": db.get("USER"), "password": db.get("PASSWORD"),
              "host": db.get("HOST"), "port": db.get("PORT")}  # fmt: skip
    connection = psycopg2.connect(**{k: v for k, v in params.items() if v})
    connection.autocommit = True  # CREATE and DROP DATABASE cannot run in a transaction
    return connection


def _checked(url: str) -> str:
    name = database_name(url)
    if MARK not in name:
        raise NotABenchDatabase(
            f"refusing to empty database {name!r}: the benchmarks drop and recreate their "
            f"database, so its name must contain {MARK!r} (for example hearings_bench)"
        )
    return name


def postgres_exists(url: str) -> bool:
    connection = _admin(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)])
            return cursor.fetchone() is not None
    finally:
        connection.close()


def postgres_recreate(url: str) -> None:
    """Drop the benchmark database if it exists and create it empty."""
    from psycopg2 import sql

    name = _checked(url)
    connection = _admin(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))  # fmt: skip
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def postgres_drop(url: str) -> None:
    from psycopg2 import sql

    name = _checked(url)
    connection = _admin(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))  # fmt: skip
    finally:
        connection.close()
