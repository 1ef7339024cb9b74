"""A service is changed without breaking another: no service imports another's modules.

What crosses a boundary is a contract in ``shared/contracts`` (events one level up, internal HTTP
models in ``shared/contracts/api``); ``shared`` itself never reaches into a service. The imports
are read from the syntax tree, so an import inside a function or a TYPE_CHECKING block counts too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line, dotted module) of every absolute import of a Python file."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            # "from services import profile" names the service in the imported names.
            if node.module == "services":
                yield from ((node.lineno, f"services.{alias.name}") for alias in node.names)


def crossings(folder: Path, own: str | None) -> list[str]:
    """Return 'file:line imports module' for every import of a service other than own."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for line, module in imported_modules(path):
            parts = module.split(".")
            if parts[0] == "services" and len(parts) > 1 and parts[1] != own:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_the_services_are_found() -> None:
    assert {"advice", "diagnostic", "gateway", "notifications", "partners", "profile", "volunteers"} <= set(SERVICES)


def test_no_service_imports_another_service() -> None:
    found = [c for name in SERVICES for c in crossings(ROOT / "services" / name, name)]
    assert not found, "move what crosses the boundary to shared/contracts:\n" + "\n".join(found)


def test_shared_code_imports_no_service() -> None:
    found = crossings(ROOT / "shared", None)
    assert not found, "shared/ is used by every service and reaches into none:\n" + "\n".join(found)


def test_the_check_sees_an_import_hidden_in_a_function(tmp_path: Path) -> None:
    module = tmp_path / "sneaky.py"
    module.write_text("def f():\n    from services.profile.edits import apply\n    import services.advice.plan\n")
    assert [m for _, m in imported_modules(module)] == ["services.profile.edits", "services.advice.plan"]


def internal_paths(folder: Path) -> list[str]:
    """Return 'file:line' of every string in the code (prose aside) that names an internal route."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        # Prose that names a route is not a call: docstrings and descriptions of fields.
        prose = {
            id(node.value)
            for node in ast.walk(tree)
            if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
            or (isinstance(node, ast.keyword) and node.arg == "description")
        }
        found += [
            f"{path.relative_to(folder)}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "/internal/" in node.value
            and id(node) not in prose
        ]
    return found


def test_services_call_each_other_through_the_typed_clients() -> None:
    # The method, path and body of every internal call live once, in shared/clients/<service>.py:
    # a path string elsewhere is a second definition of the wire, which drifts from the first.
    found = [f"services/{name}/{c}" for name in SERVICES for c in internal_paths(ROOT / "services" / name)]
    assert not found, "call the service through its client in shared/clients:\n" + "\n".join(found)


def test_the_check_sees_a_path_in_an_f_string(tmp_path: Path) -> None:
    module = tmp_path / "caller.py"
    module.write_text(
        '"""Calls /internal/plans/."""\nasync def f(s, u):\n    return await s.call("advice", f"/internal/plans/{u}")\n'
    )
    assert internal_paths(tmp_path) == ["caller.py:3"]
