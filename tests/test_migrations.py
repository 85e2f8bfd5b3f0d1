"""Migrations apply, reverse to zero and apply again, with the report loaded in between."""

from tests import fresh_django


def manage(database_url, *args):
    return fresh_django.manage(*args, env=fresh_django.environment(DATABASE_URL=database_url))


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
