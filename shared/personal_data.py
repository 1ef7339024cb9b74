"""Each service declares the collections that hold personal data: one registry drives export and erasure.

A test scans every store after a full journey: any collection holding
documents about the person must be declared here, so a new collection cannot
escape the right of access or the right to erasure. Erasure is ``erase_person``
over the registry, in every service (a test reads each ``user-erased`` handler): a
collection whose documents are not simply deleted (anonymous counts kept, a match
closed and handed on) names its own ``erase`` step in its entry, so what erasure
does to a collection is read in one place, beside why the collection exists.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from shared.store import Store
from shared.unit_of_work import UnitOfWork

# A person's pseudonymous id (``services/profile/accounts.py: new_user_id``): the one definition behind
# the gateway's path checks, the scrubbing of ids from span names and the orphan search. Other values of
# the fields that name a person ("erased", "erased-counsellor") stand for nobody.
PERSON_ID_PATTERN = r"u_[0-9a-f]{16}"
PERSON_ID = re.compile(PERSON_ID_PATTERN)


def is_person_id(value: object) -> bool:
    """Return True when the value is a person's pseudonymous id."""
    return isinstance(value, str) and PERSON_ID.fullmatch(value) is not None


# How a collection forgets a person when deleting their documents is not the whole story; returns how many
# documents were deleted or changed.
Eraser = Callable[[UnitOfWork, str], Awaitable[int]]


@dataclass(frozen=True)
class PersonalCollection:
    """A collection whose documents are about a person, found by one of ``keys``."""

    collection: str
    keys: tuple[str, ...]
    purpose: str
    retention: str
    omit: tuple[str, ...] = ()  # secrets never handed out, even to the person (e.g. password hashes)
    # None: the person's documents are deleted (found by ``keys``). Otherwise this step runs instead.
    erase: Eraser | None = None


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
    """Forget the person in every collection of the registry, in its order, in one unit of work.

    Returns how many documents were deleted (or, for a collection with its own ``erase`` step, changed).
    """
    removed = 0
    for entry in registry:
        if entry.erase is not None:
            removed += await entry.erase(uow, subject)
            continue
        for key in entry.keys:
            removed += await uow.collection(entry.collection).delete({key: subject})
    return removed
