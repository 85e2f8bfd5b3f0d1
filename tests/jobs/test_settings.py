"""The jobs' settings: the engine chosen by JOBS_BACKEND, clear errors for wrong values,
the second connection, and SQLite tuned so that the app keeps answering during an import."""

import pytest
from django.db import connection

from hearings.settings_values import database_config, tasks_config, with_progress_alias
from tests.fresh_django import environment, manage, run_python


def start_django(**env):
    return manage("check", env=environment(removed={"JOBS_BACKEND", "JOBS_REDIS_URL"}, **env))


def test_the_database_backend_by_default_rq_when_asked():
    tasks, queues = tasks_config("database", "")
    assert tasks["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert queues == {}
    tasks, queues = tasks_config("rq", "redis://cache.internal:6379/2")
    assert tasks["default"] == {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    assert queues["default"]["URL"] == "redis://cache.internal:6379/2"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"JOBS_BACKEND": "celery"}, "JOBS_BACKEND must be database or rq, not 'celery'"),
        ({"JOBS_BACKEND": "rq"}, "JOBS_BACKEND=rq needs JOBS_REDIS_URL, a redis://"),
        ({"JOBS_BACKEND": "rq", "JOBS_REDIS_URL": "127.0.0.1:6379"}, "needs JOBS_REDIS_URL"),
        ({"JOB_RESULT_DAYS": "0"}, "JOB_RESULT_DAYS must be a whole number, 1 or more, not '0'"),
        ({"JOB_HEARTBEAT_SECONDS": "soon"}, "JOB_HEARTBEAT_SECONDS must be a whole number"),
        ({"BACKGROUND_IMPORT_MIN_ROWS": "-5"}, "BACKGROUND_IMPORT_MIN_ROWS must be a whole"),
    ],
)
def test_a_wrong_value_stops_the_app_at_start_with_a_clear_error(env, message):
    result = start_django(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_rq_adds_django_rq_and_its_queue():
    env = environment(JOBS_BACKEND="rq", JOBS_REDIS_URL="redis://127.0.0.1:6379/3")
    result = run_python(
        "from django.conf import settings; print('=', 'django_rq' in settings.INSTALLED_APPS,"
        " settings.RQ_QUEUES['default']['URL'])",
        env,
    )
    assert result.returncode == 0, result.stderr
    assert "= True redis://127.0.0.1:6379/3" in result.stdout


def test_sqlite_reads_while_one_writes_and_waits_for_the_lock():
    config = database_config("sqlite:///tmp/db.sqlite3")
    assert config["OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    assert database_config("postgres://u@h:5432/n").get("OPTIONS", {}) == {}


def test_the_jobs_alias_is_the_same_database_on_a_connection_of_its_own():
    databases = with_progress_alias({"default": database_config("sqlite:///tmp/db.sqlite3")})
    assert databases["jobs"] == databases["default"]
    assert databases["jobs"]["OPTIONS"] is not databases["default"]["OPTIONS"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's journal mode")
@pytest.mark.django_db
def test_the_sqlite_database_is_in_wal_mode():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.transaction_mode == "IMMEDIATE"
