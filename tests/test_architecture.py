"""The layout the README's "Architecture" section describes, beyond what import-linter checks
(`make test` runs `lint-imports` on the contracts in pyproject.toml): module size, writes
only through services, templates beside their package."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["hearings", "tracker"]
MAX_MODULE_LINES = 400
# Methods that write rows when called on a manager or a queryset.
WRITE_METHODS = {
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "update",
    "delete",
}
# Sub-packages whose pages render templates from templates/tracker/<package>/.
PAGE_PACKAGES = [
    "reports", "imports", "accounts", "audit", "notifications", "evidence", "jobs", "api",
]  # fmt: skip


def modules(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


@pytest.mark.parametrize("path", list(modules(*PACKAGES)), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_stays_small_enough_to_read(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it"


def _writes_through_a_manager(tree: ast.AST):
    """Calls like Model.objects.filter(...).update(...) or Model.objects.create(...)."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITE_METHODS:
            continue
        receiver = node.func.value
        while isinstance(receiver, ast.Call | ast.Attribute):
            if isinstance(receiver, ast.Attribute) and receiver.attr == "objects":
                yield node.lineno, node.func.attr
                break
            receiver = receiver.func if isinstance(receiver, ast.Call) else receiver.value


@pytest.mark.parametrize(
    "path",
    list(modules("tracker/reports", "tracker/imports")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_reports_and_imports_write_only_through_services(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = list(_writes_through_a_manager(tree))
    assert not found, f"{path.relative_to(ROOT)} writes rows itself at {found}: use a service"


def test_the_write_check_finds_a_write():
    """The check above would see a queryset update or a create (so it can fail)."""
    tree = ast.parse(
        "FollowUpLine.objects.filter(pk=1).update(status='x')\nStatus.objects.create(a=1)\n"
        "totals.update(other)\n"
    )
    assert [method for _line, method in _writes_through_a_manager(tree)] == ["update", "create"]


TEMPLATE_NAME = re.compile(r"""["'](tracker/[\w/.-]+\.html)["']""")


@pytest.mark.parametrize("package", PAGE_PACKAGES)
def test_templates_mirror_their_package(package):
    """A sub-package's pages use templates from its own folder, templates/tracker/<package>/."""
    names = [
        name
        for path in modules(f"tracker/{package}")
        for name in TEMPLATE_NAME.findall(path.read_text(encoding="utf-8"))
    ]
    assert names, f"tracker/{package} renders no template"
    for name in names:
        assert name.startswith(f"tracker/{package}/"), name
        assert (ROOT / "templates" / name).is_file(), name
