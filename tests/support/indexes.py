"""Every index the services declare, for the store contract suite to test each unique one.

A service declares its indexes in ``services/<name>/repository.py`` (``INDEXES``, passed to
``ServiceDefinition`` by its bootstrap); every service also gets the inbox's and the outbox's.
``unique_index_calls`` reads the source instead, so that a unique index declared anywhere
else is noticed (the suite compares the two).
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

from shared.inbox import INBOX_INDEXES
from shared.outbox import OUTBOX_INDEXES
from shared.store import Index

ROOT = Path(__file__).resolve().parents[2]


def all_declared_indexes() -> list[Index]:
    """Return the indexes of every service's repository module, then the inbox's and the outbox's."""
    found: list[Index] = []
    for path in sorted((ROOT / "services").glob("*/repository.py")):
        module = importlib.import_module(f"services.{path.parent.name}.repository")
        found.extend(getattr(module, "INDEXES", ()))
    return [*found, *INBOX_INDEXES, *OUTBOX_INDEXES]


def unique_index_calls() -> Iterator[str]:
    """Yield ``path:line`` of every ``Index(..., unique=True)`` written in services/ and shared/."""
    for folder in ("services", "shared"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "Index"
                    and any(
                        k.arg == "unique" and isinstance(k.value, ast.Constant) and k.value.value is True
                        for k in node.keywords
                    )
                ):
                    yield f"{path.relative_to(ROOT)}:{node.lineno}"
