"""Each service declares the collections that hold personal data: one registry drives export and erasure.

A test scans every store after a full journey: any collection holding
documents about the person must be declared here, so a new collection cannot
escape the right of access or the right to erasure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shared.store import Store
from shared.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PersonalCollection:
    """A collection whose documents are about a person, found by one of ``keys``."""

    collection: str
    keys: tuple[str, ...]
    purpose: str
    retention: str
    omit: tuple[str, ...] = ()  # secrets never handed out, even to the person (e.g. password hashes)


async def export_person(store: Store, registry: Sequence[PersonalCollection], subject: str) -> dict[str, Any]:
    """Return everything the store holds about the person, by collection."""
    archive: dict[str, Any] = {}
    for entry in registry:
        seen: dict[str, dict[str, Any]] = {}
        for key in entry.keys:
            for doc in await store.collection(entry.collection).find({key: subject}):
                seen[doc["_id"]] = doc
        if entry.omit:
            archive[entry.collection] = [
                {k: v for k, v in doc.items() if k not in entry.omit and k != "_id"} for doc in seen.values()
            ]
        else:
            archive[entry.collection] = list(seen.values())
    return archive


async def erase_person(uow: UnitOfWork, registry: Sequence[PersonalCollection], subject: str) -> int:
    """Delete everything about the person in the unit of work; return how many documents."""
    removed = 0
    for entry in registry:
        for key in entry.keys:
            removed += await uow.collection(entry.collection).delete({key: subject})
    return removed
