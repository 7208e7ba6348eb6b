"""Who-may rules have one home: `permissions/`. The models hold state checks only and import
nothing from it; how a model reaches its department, and every capability and permission name,
is written in `permissions/` and nowhere else."""

import ast
from pathlib import Path

import pytest

from permissions.capabilities import Capability, Perm

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts",
    "audit",
    "background",
    "devtools",
    "health",
    "imports",
    "permissions",
    "portal",
    "webhooks",
)


def _modules(*folders: str) -> list[Path]:
    return sorted(
        path
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    )


def _imports(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", _modules("portal/models"), ids=lambda p: p.name)
def test_the_models_import_nothing_from_permissions(path):
    imported = _imports(ast.parse(path.read_text()))
    assert [name for name in imported if name.split(".")[0] == "permissions"] == []


# An app's `ready()` imports its signal handlers: Django's own convention, the one exception.
@pytest.mark.parametrize(
    "path",
    [p for p in _modules("portal/models", "permissions") if p.name != "apps.py"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_import_inside_a_function(path):
    inside = [
        f"line {inner.lineno}"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    ]
    assert inside == []


RULE_WORDS = ("department_id__in", "scope_path")
NAMES = {str(c) for c in Capability} | {str(p) for p in Perm}


def _outside_permissions() -> list[Path]:
    return [p for p in _modules(*APPS) if p.parts[len(ROOT.parts)] != "permissions"]


def test_no_access_path_outside_permissions():
    found = []
    for path in _outside_permissions():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            is_path_keyword = (
                isinstance(node, ast.Call)
                and any(k.arg == "path" for k in node.keywords)
                and getattr(node.func, "id", getattr(node.func, "attr", ""))
                in {"scope", "may_access"}
            )
            if is_path_keyword:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        text = path.read_text()
        found += [f"{path.relative_to(ROOT)}: {word}" for word in RULE_WORDS[:2] if word in text]
    assert found == []


def _declared_permissions(tree: ast.AST) -> set[int]:
    """The strings of a model's `Meta.permissions`: where Django declares a permission."""
    return {
        id(constant)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(getattr(target, "id", None) == "permissions" for target in node.targets)
        for constant in ast.walk(node.value)
    }


def test_no_capability_or_permission_name_written_outside_permissions():
    found = []
    for path in _outside_permissions():
        tree = ast.parse(path.read_text())
        declared = _declared_permissions(tree)
        found += [
            f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value in NAMES
            and id(node) not in declared
        ]
    assert found == []
