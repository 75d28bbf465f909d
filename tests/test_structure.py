"""The shape that keeps the security model from being a habit (issue 11): checked on the
source itself, so a new app or view that forgets it fails here before it ships.

1. Every public service that writes and records an audit event does both in one
   transaction (`@transaction.atomic` or `with transaction.atomic()`), so a write never
   commits without its event. The `audit_fails` fixture proves it at run time per app.
2. Views and API handlers never reach a model's `.objects` themselves (only reference data
   open to every user): protected models are read through the app's selectors, which take
   the user and apply the app's policies.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ctip"
AUDIT_CALLS = {"audit_record", "identity_viewed", "shared_identity_viewed"}
WRITE_CALLS = {
    "save",
    "create",
    "bulk_create",
    "bulk_update",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
}
# Reference data anyone signed in may list, and the sign-in machinery's own tables.
OPEN_MODELS = {"Entity", "Country", "Region", "TreatyStatus", "Instrument"}
OPEN_MODELS_IN = {"ctip/api.py": {"ApiToken"}, "ctip/core/views/auth.py": {"TOTPDevice"}}


def modules(*patterns: str) -> list[Path]:
    return sorted({p for pattern in patterns for p in PACKAGE.glob(pattern)})


def called_names(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def is_atomic(function: ast.FunctionDef) -> bool:
    for decorator in function.decorator_list:
        if "atomic" in ast.unparse(decorator):
            return True
    return any(
        isinstance(node, ast.With) and "atomic" in ast.unparse(node) for node in ast.walk(function)
    )


def service_functions() -> list:
    found = []
    for path in modules("*/services.py", "*/services/*.py", "*/importing.py", "*/keys.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                where = f"{path.relative_to(PACKAGE.parent)}::{node.name}"
                found.append(pytest.param(where, node, id=where))
    return found


@pytest.mark.parametrize(("where", "function"), service_functions())
def test_a_service_that_writes_commits_with_its_audit_event(where, function):
    calls = called_names(function)
    if calls & AUDIT_CALLS and calls & WRITE_CALLS:
        assert is_atomic(function), f"{where} writes and audits outside one transaction"


def model_names() -> set[str]:
    from django.apps import apps

    return {model.__name__ for model in apps.get_models()}


def edge_modules() -> list[Path]:
    return modules("*/views.py", "*/views/*.py", "*/api.py", "api.py")


@pytest.mark.parametrize("path", edge_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_views_and_api_reach_no_protected_model_directly(path):
    relative = str(path.relative_to(PACKAGE.parent))
    allowed = OPEN_MODELS | OPEN_MODELS_IN.get(relative, set())
    protected = model_names() - allowed
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offences = [
        f"{relative}:{node.lineno} {node.value.id}.objects"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "objects"
        and isinstance(node.value, ast.Name)
        and node.value.id in protected
    ]
    assert offences == [], "use the app's selectors: " + ", ".join(offences)


# Installed by the Makefile beside CTIP (with --no-deps, see pyproject.toml), not declared.
INSTALLED_BESIDE = {"clkhash"}


def _runtime_distributions() -> set[str]:
    """CTIP's runtime requirements and theirs, extras left out: what `make demo` installs."""
    from importlib.metadata import PackageNotFoundError, requires

    from packaging.requirements import Requirement

    found: set[str] = set()
    todo = ["ctip", *INSTALLED_BESIDE]
    while todo:
        name = todo.pop()
        try:
            needs = requires(name) or []
        except PackageNotFoundError:
            continue
        for text in needs:
            requirement = Requirement(text)
            key = requirement.name.lower().replace("_", "-")
            if requirement.marker and "extra" in str(requirement.marker):
                continue
            if key not in found:
                found.add(key)
                todo.append(requirement.name)
    return found | INSTALLED_BESIDE


# Modules only a setting loads, with the extra that brings what they import: the Spark
# engine runs where CTIP_LINKAGE_ENGINE=spark and `pip install -e '.[spark]'` (docs/deploy.md).
OPTIONAL_EXTRAS = {"ctip/linkage/spark.py": {"pyspark"}}


def test_the_application_imports_only_what_make_demo_installs():
    """A module that imports a package only the tests bring (pandas comes with sdmx1) works
    in `make test` and breaks `make demo` on a fresh machine."""
    import sys
    from importlib.metadata import packages_distributions

    runtime = _runtime_distributions()
    owners = packages_distributions()
    offences = []
    for path in modules("**/*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "ctip":
                    continue
                dists = {d.lower().replace("_", "-") for d in owners.get(top, [top])}
                if top in OPTIONAL_EXTRAS.get(str(path.relative_to(PACKAGE.parent)), ()):
                    continue
                if not dists & runtime:
                    offences.append(f"{path.relative_to(PACKAGE.parent)}: {name}")
    assert offences == [], "imports of packages make demo does not install: " + ", ".join(offences)


def test_api_schemas_have_names_of_their_own():
    """The OpenAPI document keys schemas by class name: two apps' `DecisionIn` would make one
    API's documented body the other's."""
    names: dict[str, str] = {}
    clashes = []
    for path in modules("*.py", "*/*.py", "*/*/*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id == "Schema" for b in node.bases
            ):
                where = str(path.relative_to(PACKAGE.parent))
                if node.name in names and names[node.name] != where:
                    clashes.append(f"{node.name}: {names[node.name]} and {where}")
                names.setdefault(node.name, where)
    assert clashes == []
