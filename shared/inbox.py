"""The inbox: the ids of applied events, so a redelivered event has no second effect.

It also keeps erasure tombstones: a one-way hash of the pseudonymous id of each
erased person, so that an event about them still in flight from another service
is dropped instead of re-creating data. Tombstones hold nothing about the
person and expire after the broker's retention.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from shared.envelope import Event, iso
from shared.store import Index, Store
from shared.unit_of_work import UnitOfWork

INBOX = "inbox"
ERASED = "erased_subjects"
INBOX_INDEXES = (Index(INBOX, ("applied_at",)), Index(ERASED, ("erased_at",)))
# Longer than the broker's retention (7 days by default): older events cannot come back.
INBOX_RETENTION = timedelta(days=14)
TOMBSTONE_RETENTION = timedelta(days=30)


def subject_tombstone(subject: str) -> str:
    """Return the one-way hash that marks an erased subject."""
    return hashlib.sha256(b"erased:" + subject.encode()).hexdigest()


async def applied_among(uow: UnitOfWork, events: Iterable[Event]) -> set[str]:
    """Return the ids of those events that were applied before: one query for a whole batch."""
    ids = sorted({str(event.event_id) for event in events})
    return {doc["_id"] for doc in await uow.collection(INBOX).find({"_id": {"$in": ids}})} if ids else set()


async def erased_among(uow: UnitOfWork, subjects: Iterable[str]) -> set[str]:
    """Return those subjects that were erased: one query for a whole batch."""
    by_tombstone = {subject_tombstone(subject): subject for subject in set(subjects)}
    if not by_tombstone:
        return set()
    found = await uow.collection(ERASED).find({"_id": {"$in": sorted(by_tombstone)}})
    return {by_tombstone[doc["_id"]] for doc in found}


async def is_erased(uow: UnitOfWork, subject: str) -> bool:
    """Return True when the subject was erased (its late events must be dropped)."""
    return await uow.collection(ERASED).get(subject_tombstone(subject)) is not None


async def subject_erased(store: Store, subject: str) -> bool:
    """Return True when this service applied the erasure of the subject (outside a unit of work)."""
    return await store.collection(ERASED).get(subject_tombstone(subject)) is not None


async def record_all_applied(uow: UnitOfWork, events: Sequence[Event], now: datetime) -> None:
    """Remember the ids of a batch of applied events in one write (unique ids refuse a second application)."""
    if events:
        at = iso(now)
        await uow.collection(INBOX).insert_many(
            [{"_id": str(event.event_id), "topic": event.topic, "applied_at": at} for event in events]
        )


async def record_erased(uow: UnitOfWork, subject: str, now: datetime) -> None:
    """Keep the erasure tombstone of a subject."""
    await uow.collection(ERASED).put({"_id": subject_tombstone(subject), "erased_at": iso(now)})


async def purge_expired(store: Store, now: datetime) -> int:
    """Delete inbox entries and tombstones past their retention; return how many."""
    removed = await store.collection(INBOX).delete({"applied_at": {"$lt": iso(now - INBOX_RETENTION)}})
    removed += await store.collection(ERASED).delete({"erased_at": {"$lt": iso(now - TOMBSTONE_RETENTION)}})
    return removed
