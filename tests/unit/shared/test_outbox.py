from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from shared.contracts.profile import UserErased
from shared.outbox import OUTBOX, Outbox, OutboxRelay
from shared.store import StoreUnavailableError
from shared.store.sqlite import SqliteCollection, SqliteStore
from shared.unit_of_work import unit_of_work
from tests.unit.shared.fakes import RecordingBroker
from tests.unit.shared.test_envelope import profile_updated


@pytest.fixture
def store() -> SqliteStore:
    return SqliteStore(":memory:")


async def test_events_are_staged_with_the_state_change(store: SqliteStore) -> None:
    outbox = Outbox("t.")
    async with unit_of_work(store, outbox) as uow:
        await uow.collection("profiles").insert({"_id": "u1"})
        uow.publish(profile_updated(), profile_updated())
    rows = await store.collection(OUTBOX).find(sort=[("seq", 1)])
    assert len(rows) == 2 and rows[0]["seq"] < rows[1]["seq"]
    assert rows[0]["topic"] == "t.profile-updated" and rows[0]["key"] == "u_0123456789abcdef"
    assert outbox.wakeup.is_set()


async def test_a_failed_unit_of_work_publishes_nothing(store: SqliteStore) -> None:
    outbox = Outbox()
    with pytest.raises(RuntimeError):
        async with unit_of_work(store, outbox) as uow:
            await uow.collection("profiles").insert({"_id": "u1"})
            uow.publish(profile_updated())
            raise RuntimeError("crash")
    assert await store.collection(OUTBOX).count() == 0
    assert await store.collection("profiles").count() == 0
    assert not outbox.wakeup.is_set()


async def test_the_relay_publishes_in_order_then_deletes(store: SqliteStore) -> None:
    outbox, broker = Outbox(), RecordingBroker()
    events = [profile_updated() for _ in range(5)]
    async with unit_of_work(store, outbox) as uow:
        uow.publish(*events)
    relay = OutboxRelay(store, broker, outbox, service_name="test", batch_size=2)  # type: ignore[arg-type]
    assert await relay.drain() == 5
    assert [orjson.loads(p.value)["event_id"] for p in broker.published] == [str(e.event_id) for e in events]
    assert all(p.key == b"u_0123456789abcdef" for p in broker.published)
    assert await relay.backlog() == 0


async def test_the_relay_scrubs_the_store_once_a_user_erased_event_left_it() -> None:
    scrubbed: list[int] = []

    class Scrubbing(SqliteStore):
        async def scrub_deleted(self) -> bool:
            scrubbed.append(await self.collection(OUTBOX).count())
            return True

    store, outbox = Scrubbing(":memory:"), Outbox("t.")
    relay = OutboxRelay(store, RecordingBroker(), outbox, service_name="test")  # type: ignore[arg-type]
    async with unit_of_work(store, outbox) as uow:
        uow.publish(profile_updated())
    await relay.drain()
    assert scrubbed == []
    async with unit_of_work(store, outbox) as uow:
        uow.publish(UserErased(subject="u_0123456789abcdef"))
    await relay.drain()
    assert scrubbed == [0]  # after the event, which names the person, was deleted


async def test_events_stay_in_the_outbox_while_the_broker_is_down(store: SqliteStore) -> None:
    outbox, broker = Outbox(), RecordingBroker(fail=True)
    async with unit_of_work(store, outbox) as uow:
        uow.publish(profile_updated())
    relay = OutboxRelay(store, broker, outbox, service_name="test")  # type: ignore[arg-type]
    with pytest.raises(ConnectionError):
        await relay.drain()
    assert await relay.backlog() == 1
    broker.fail = False
    assert await relay.drain() == 1


async def test_a_long_drain_stops_when_another_replica_took_the_expired_lease(store: SqliteStore) -> None:
    # Under a steady flow a drain can outlast the lease: it must not go on publishing rows that the
    # replica which took the lease over publishes too.
    now = [datetime(2026, 12, 2, 12, 0, tzinfo=UTC)]
    outbox = Outbox()
    async with unit_of_work(store, outbox) as uow:
        uow.publish(*[profile_updated() for _ in range(3)])
    second = OutboxRelay(store, RecordingBroker(), outbox, service_name="t", batch_size=1, clock=lambda: now[0])  # type: ignore[arg-type]

    class SlowBroker(RecordingBroker):
        async def publish(self, *args: Any, **kwargs: Any) -> Any:
            now[0] += timedelta(seconds=11)  # the batch took longer than the 10 s lease...
            assert await second._lease.acquire()  # ...so the other replica's relay takes it over
            return await super().publish(*args, **kwargs)

    first = OutboxRelay(store, SlowBroker(), outbox, service_name="t", batch_size=1, clock=lambda: now[0])  # type: ignore[arg-type]
    assert await first.drain() == 1
    assert await first.drain() == 0  # no longer the holder
    assert await second.drain() == 2


async def test_events_whose_deletion_failed_are_not_published_again(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Several replicas share a store file: the delete after a publication can meet a locked store.
    outbox, broker = Outbox(), RecordingBroker()
    async with unit_of_work(store, outbox) as uow:
        uow.publish(profile_updated(), profile_updated())
    relay = OutboxRelay(store, broker, outbox, service_name="test")  # type: ignore[arg-type]
    delete = SqliteCollection.delete
    failures = [StoreUnavailableError("database is locked")]

    async def locked_once(self: SqliteCollection, query: Any) -> int:
        if self.name == OUTBOX and failures:
            raise failures.pop()
        return await delete(self, query)

    monkeypatch.setattr(SqliteCollection, "delete", locked_once)
    with pytest.raises(StoreUnavailableError):
        await relay.drain()
    assert await relay.drain() == 0  # the two rows are deleted, not sent again
    assert len(broker.published) == 2 and await relay.backlog() == 0
