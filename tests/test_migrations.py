"""Migrations apply, reverse to zero and apply again, with the report loaded in between."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(database_url, *args):
    env = dict(os.environ, DATABASE_URL=database_url)
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_migrations_are_reversible(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    for args in (
        ["migrate", "--no-input"],
        ["load_report"],
        ["migrate", "tracker", "zero", "--no-input"],
        ["migrate", "hearings", "zero", "--no-input"],
        ["migrate", "--no-input"],
        ["load_report"],
    ):
        result = manage(url, *args)
        assert result.returncode == 0, (args, result.stderr)
    assert "Created: 1 report, 10 chapters" in result.stdout
