"""What production is given agrees with what the settings read: docker-compose.yml, the
Dockerfile, the README's configuration table, and `manage.py check --deploy`."""

import ast
import json
import re

import yaml

from tests.fresh_django import ROOT, production_env, run

# Production refuses to start without these, or serves wrong links.
REQUIRED_IN_PRODUCTION = {"SECRET_KEY", "ALLOWED_HOSTS", "PUBLIC_BASE_URL"}


def variables_the_settings_read() -> set[str]:
    """Names in os.getenv("X"), os.environ.get("X"), os.environ["X"] and env_*("X", ...)
    calls in hearings/settings.py and the modules beside it (settings_*.py)."""
    paths = sorted((ROOT / "hearings").glob("settings*.py"))
    nodes = [node for path in paths for node in ast.walk(ast.parse(path.read_text("utf-8")))]
    names = set()
    for node in nodes:
        first = None
        if isinstance(node, ast.Call) and node.args:
            function = node.func
            called = getattr(function, "attr", getattr(function, "id", ""))
            reads_environ = isinstance(function, ast.Attribute) and (
                ast.unparse(function.value) == "os.environ"
            )
            if (
                called == "getenv"
                or called.startswith("env_")
                or (reads_environ and called == "get")
            ):
                first = node.args[0]
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            first = node.slice
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.add(first.value)
    return names


def compose_app():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return compose["services"]["app"]


def test_the_settings_reader_finds_what_the_settings_read():
    assert {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "BEHIND_TLS_PROXY",
            "LOG_FORMAT"} <= variables_the_settings_read()  # fmt: skip


def test_compose_sets_only_variables_the_settings_read():
    unknown = set(compose_app()["environment"]) - variables_the_settings_read()
    assert not unknown, f"docker-compose.yml sets variables nothing reads: {sorted(unknown)}"


def test_compose_sets_what_production_requires():
    environment = compose_app()["environment"]
    assert set(environment) >= REQUIRED_IN_PRODUCTION
    assert environment["DEBUG"] == "false"


def dockerfile_instructions() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n\s*", " ", text)
    return [line for line in joined.splitlines() if line and not line.startswith("#")]


def test_compose_migrates_then_serves_with_gunicorn():
    command = compose_app()["command"]
    assert re.search(
        r"manage\.py migrate --no-input\b.*&& .*\bgunicorn hearings\.wsgi\b", command[-1]
    )
    # The same command as the image's own.
    [cmd] = [line for line in dockerfile_instructions() if line.startswith("CMD ")]
    assert json.loads(cmd.removeprefix("CMD ")) == command


def test_every_variable_the_settings_read_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = {
        name
        for row in section.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])
    }
    missing = variables_the_settings_read() - documented
    assert not missing, f"README's configuration table lacks {sorted(missing)}"


def test_the_docker_build_settings_are_accepted():
    """The Dockerfile's collectstatic runs with DEBUG off and a build-time key."""
    [build] = [line for line in dockerfile_instructions() if "collectstatic" in line]
    env = dict(re.findall(r"\b([A-Z_]+)=(\S+)", build))
    assert env["DEBUG"] == "false"
    # Nothing else: a build has no proxy, no mail and no site address.
    bare = {"PUBLIC_BASE_URL": None, "BEHIND_TLS_PROXY": None, "EMAIL_BACKEND": None}
    result = run(["manage.py", "check"], production_env(**{**bare, **env}))
    assert result.returncode == 0, result.stderr


def test_check_deploy_finds_no_issue_in_production():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_would_see_an_issue():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(SECURE_SSL_REDIRECT="false", EMAIL_BACKEND=None),
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr
    # The console e-mail backend would print password-reset links in the logs.
    assert "tracker.W001" in result.stderr
