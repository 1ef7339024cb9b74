"""Read the services' SQLite stores directly, to check from outside what they hold about a person."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def documents_mentioning(var_dir: Path, needle: str) -> dict[tuple[str, str], int]:
    """Return, per (service, collection), how many documents contain the text."""
    found: dict[tuple[str, str], int] = {}
    for path in sorted((var_dir / "stores").glob("*.sqlite3")):
        service = path.stem
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            for table in tables:
                if table.startswith("sqlite_") or table == "_health":
                    continue
                (count,) = db.execute(
                    f'SELECT COUNT(*) FROM "{table}" WHERE instr(id, ?) > 0 OR instr(doc, ?) > 0',
                    (needle, needle),
                ).fetchone()
                if count:
                    found[(service, table)] = count
        finally:
            db.close()
    return found


def ids_mentioning(var_dir: Path, needle: str) -> dict[tuple[str, str], list[str]]:
    """Return, per (service, collection), the ids of the documents that contain the text."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted((var_dir / "stores").glob("*.sqlite3")):
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            for table in tables:
                if table.startswith("sqlite_") or table == "_health":
                    continue
                rows = db.execute(
                    f'SELECT id FROM "{table}" WHERE instr(id, ?) > 0 OR instr(doc, ?) > 0',
                    (needle, needle),
                ).fetchall()
                if rows:
                    found[(path.stem, table)] = [r[0] for r in rows]
        finally:
            db.close()
    return found
