"""One meaning per fact: a table keyed by the members of a shared enumeration is written once.

Two tables for one idea drift apart (the pace capped a day at 5 actions in the plan and listed 8 in
the email), and a person then reads two truths. This scan finds every dict literal of services/ and
shared/ keyed by members of an enumeration of ``shared/contracts/vocabulary.py`` and fails when one
enumeration has such a table in two places.
"""

from __future__ import annotations

import ast
import enum
from collections import defaultdict
from pathlib import Path

import shared.contracts.vocabulary as vocabulary

ROOT = Path(__file__).resolve().parents[2]
ENUMS = {name for name, value in vars(vocabulary).items() if isinstance(value, type) and issubclass(value, enum.Enum)}


def tables_by_enum() -> dict[str, list[str]]:
    """Return, for each shared enumeration, where a dict literal keyed by its members is written."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted([*ROOT.glob("services/**/*.py"), *ROOT.glob("shared/**/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Dict):
                continue
            owners = [
                key.value.id
                for key in node.keys
                if isinstance(key, ast.Attribute) and isinstance(key.value, ast.Name) and key.value.id in ENUMS
            ]
            if len(owners) >= 2 and len(set(owners)) == 1:
                found[owners[0]].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_each_shared_enumeration_has_at_most_one_table() -> None:
    twice = {name: where for name, where in tables_by_enum().items() if len(where) > 1}
    assert not twice, f"tables written twice (keep one, beside its owner): {twice}"


def test_the_pace_is_defined_on_its_contract_only() -> None:
    assert tables_by_enum()["ActionPace"] == [f"shared/contracts/vocabulary.py:{_pace_table_line()}"]


def _pace_table_line() -> int:
    source = (ROOT / "shared/contracts/vocabulary.py").read_text(encoding="utf-8")
    return next(i for i, line in enumerate(source.splitlines(), start=1) if line.startswith("_PACE_RULES"))


def test_one_strict_base_model() -> None:
    # "Unknown fields are refused" is one rule: seven copies of the base class had drifted (docstrings,
    # configs); every client-input model now derives from shared/contracts/strict.py.
    defined = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted([*ROOT.glob("services/**/*.py"), *ROOT.glob("shared/**/*.py")])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and node.name.lstrip("_") == "Strict"
    ]
    assert defined == ["shared/contracts/strict.py:12"], defined


def _calls_in(function: ast.AST) -> set[str]:
    return {
        node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
    }


def test_every_service_forgets_a_person_through_its_registry() -> None:
    # Two ways to erase drifted: a collection added to the registry (export, orphan search) was not
    # deleted by the hand-written erasure beside it. Every erasure is now ``erase_person`` over the registry.
    erasers = {
        f"{path.relative_to(ROOT)}:{node.name}": _calls_in(node)
        for path in sorted(ROOT.glob("services/*/*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.AsyncFunctionDef) and node.name == "on_user_erased"
    }
    services_with_data = {
        path.parent.name
        for path in ROOT.glob("services/*/*.py")
        if "PERSONAL_DATA = (" in path.read_text(encoding="utf-8")
    }
    # The profile service is where erasure starts (it publishes user-erased): services/profile/erasure.py.
    assert {name.split("/")[1] for name in erasers} == services_with_data - {"profile"}
    profile_erasure = ast.parse((ROOT / "services/profile/erasure.py").read_text(encoding="utf-8"))
    erasers["services/profile/erasure.py"] = _calls_in(profile_erasure)
    assert all("erase_person" in calls for calls in erasers.values()), {
        name: sorted(calls) for name, calls in erasers.items() if "erase_person" not in calls
    }
