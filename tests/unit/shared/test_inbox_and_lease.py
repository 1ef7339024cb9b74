from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.inbox import (
    ERASED,
    INBOX,
    applied_among,
    is_erased,
    purge_expired,
    record_all_applied,
    record_erased,
    subject_tombstone,
)
from shared.lease import Lease
from shared.outbox import Outbox
from shared.store.sqlite import SqliteStore
from shared.unit_of_work import unit_of_work
from tests.unit.shared.test_envelope import profile_updated

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


async def test_an_applied_event_is_remembered_by_its_id() -> None:
    store, applied, other = SqliteStore(":memory:"), profile_updated(), profile_updated()
    async with unit_of_work(store, Outbox()) as uow:
        assert await applied_among(uow, [applied, other]) == set()
        await record_all_applied(uow, [applied], NOW)
    async with unit_of_work(store, Outbox()) as uow:
        assert await applied_among(uow, [applied, other]) == {str(applied.event_id)}


async def test_an_erased_subject_leaves_only_a_one_way_tombstone() -> None:
    store = SqliteStore(":memory:")
    async with unit_of_work(store, Outbox()) as uow:
        await record_erased(uow, "u_0123456789abcdef", NOW)
        assert await is_erased(uow, "u_0123456789abcdef")
        assert not await is_erased(uow, "u_ffffffffffffffff")
    (tombstone,) = await store.collection(ERASED).find()
    assert "u_0123456789abcdef" not in str(tombstone)
    assert tombstone["_id"] == subject_tombstone("u_0123456789abcdef")


async def test_old_inbox_entries_and_tombstones_are_purged() -> None:
    store = SqliteStore(":memory:")
    async with unit_of_work(store, Outbox()) as uow:
        await record_all_applied(uow, [profile_updated()], NOW - timedelta(days=20))
        await record_all_applied(uow, [profile_updated()], NOW - timedelta(days=1))
        await record_erased(uow, "u_0123456789abcdef", NOW - timedelta(days=40))
    assert await purge_expired(store, NOW) == 2
    assert await store.collection(INBOX).count() == 1


async def test_a_lease_has_one_holder_until_it_expires() -> None:
    store = SqliteStore(":memory:")
    clock = [NOW]
    first = Lease(store, "relay", "one", ttl=timedelta(seconds=10), clock=lambda: clock[0])
    second = Lease(store, "relay", "two", ttl=timedelta(seconds=10), clock=lambda: clock[0])
    assert await first.acquire()
    assert not await second.acquire()
    assert await first.acquire()  # renewal
    clock[0] += timedelta(seconds=11)
    assert await second.acquire()
    assert not await first.acquire()
    await second.release()
    assert await first.acquire()
