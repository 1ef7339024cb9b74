from __future__ import annotations

import orjson
import pytest

from shared.outbox import OUTBOX, Outbox, OutboxRelay
from shared.store.sqlite import SqliteStore
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
