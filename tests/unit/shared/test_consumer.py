"""The delivery policy: inbox, retries with backoff, dead-letter topic, erasure, store outages."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from shared.consumer import EventConsumer, RetryPolicy, Subscription, _in_time_order
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.inbox import subject_erased
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX, Outbox
from shared.settings import ServiceSettings
from shared.store import StoreUnavailableError
from shared.store.sqlite import SqliteStore
from shared.telemetry import new_metrics_registry
from shared.unit_of_work import UnitOfWork
from tests.unit.shared.fakes import RecordingBroker, record
from tests.unit.shared.test_envelope import profile_updated


class Settings(ServiceSettings):
    service_name = "test"


class Counter:
    """A handler that counts effects in the store, and fails on the revisions it is told to."""

    def __init__(self, fail_on: set[int] | None = None, fail_times: int = 10**9) -> None:
        self.fail_on = fail_on or set()
        self.fail_times = fail_times
        self.calls = 0

    async def __call__(self, event: ProfileUpdated, uow: UnitOfWork) -> None:
        self.calls += 1
        if event.data.revision in self.fail_on and self.fail_times > 0:
            self.fail_times -= 1
            raise ValueError("cannot apply")
        await uow.collection("effects").insert({"_id": str(event.event_id), "revision": event.data.revision})
        uow.publish(event.model_copy(update={"event_id": __import__("uuid").uuid4()}))


def consumer(store: SqliteStore, broker: RecordingBroker, handler: Any, **kwargs: Any) -> EventConsumer:
    async def erase(event: UserErased, uow: UnitOfWork) -> None:
        await uow.collection("effects").delete({})

    built = EventConsumer(
        settings=Settings(TOPIC_PREFIX="t."),
        store=store,
        outbox=Outbox("t."),
        broker=broker,  # type: ignore[arg-type]
        subscriptions={
            "profile-updated": Subscription(ProfileUpdated, handler),
            "user-erased": Subscription(UserErased, erase),
        },
        metrics=ServiceMetrics(new_metrics_registry()),
        **kwargs,
    )
    built.retry = RetryPolicy(attempts=3, backoff_s=0.0)
    return built


def revision(n: int) -> ProfileUpdated:
    event = profile_updated()
    return event.model_copy(update={"data": event.data.model_copy(update={"revision": n})})


@pytest.fixture
def store() -> SqliteStore:
    return SqliteStore(":memory:")


async def test_the_same_event_delivered_twice_has_one_effect(store: SqliteStore) -> None:
    broker, handler = RecordingBroker(), Counter()
    event = revision(1)
    worker = consumer(store, broker, handler)
    await worker.process([record("t.profile-updated", event, 0), record("t.profile-updated", event, 1)])
    await worker.process([record("t.profile-updated", event, 0)])
    assert await store.collection("effects").count() == 1
    assert await store.collection(OUTBOX).count() == 1


async def test_a_message_that_always_fails_goes_to_the_dlq_and_the_next_one_is_applied(store: SqliteStore) -> None:
    broker, handler = RecordingBroker(), Counter(fail_on={2})
    worker = consumer(store, broker, handler)
    await worker.process([record("t.profile-updated", revision(n), n) for n in (1, 2, 3)])
    assert sorted(d["revision"] for d in await store.collection("effects").find()) == [1, 3]
    (dead,) = broker.published
    assert dead.topic == "t.profile-updated.dlq"
    assert dead.headers["x-dlq-attempts"] == "3" and dead.headers["x-dlq-error-type"] == "ValueError"
    assert dead.headers["x-dlq-offset"] == "2" and dead.headers["x-dlq-original-topic"] == "t.profile-updated"
    assert ProfileUpdated.model_validate_json(dead.value).data.revision == 2


async def test_a_transient_failure_is_retried_without_dead_lettering(store: SqliteStore) -> None:
    broker, handler = RecordingBroker(), Counter(fail_on={1}, fail_times=2)
    await consumer(store, broker, handler).process([record("t.profile-updated", revision(1))])
    assert await store.collection("effects").count() == 1
    assert broker.published == []


@pytest.mark.parametrize("value", [b"not json", b"{}", b'{"event_type": "profile-updated"}', b"\xff\xfe"])
async def test_a_malformed_message_is_dead_lettered_at_once(store: SqliteStore, value: bytes) -> None:
    broker, handler = RecordingBroker(), Counter()
    await consumer(store, broker, handler).process([record("t.profile-updated", value)])
    assert handler.calls == 0
    assert [p.topic for p in broker.published] == ["t.profile-updated.dlq"]
    assert broker.published[0].value == value
    assert broker.published[0].headers["x-dlq-attempts"] == "0"


async def test_late_events_about_an_erased_person_are_dropped(store: SqliteStore) -> None:
    broker, handler = RecordingBroker(), Counter()
    worker = consumer(store, broker, handler)
    erased = UserErased(subject="u_0123456789abcdef")
    await worker.process([record("t.user-erased", erased, 0)])
    await worker.process([record("t.profile-updated", revision(5), 1)])
    assert handler.calls == 0
    assert await store.collection("effects").count() == 0


class ScrubbingStore(SqliteStore):
    """Records, at each scrub, whether the erasure was already committed (its tombstone readable)."""

    def __init__(self) -> None:
        super().__init__(":memory:")
        self.scrubs: list[bool] = []

    async def scrub_deleted(self) -> bool:
        self.scrubs.append(await subject_erased(self, "u_0123456789abcdef"))
        return await super().scrub_deleted()


async def test_a_committed_erasure_is_scrubbed_from_the_store_files() -> None:
    store = ScrubbingStore()
    worker = consumer(store, RecordingBroker(), Counter())
    await worker.process([record("t.profile-updated", revision(1), 0)])
    assert store.scrubs == []  # no erasure, no scrub
    erased = UserErased(subject="u_0123456789abcdef")
    await worker.process([record("t.profile-updated", revision(2), 1), record("t.user-erased", erased, 2)])
    assert store.scrubs == [True]  # once for the batch, after its commit
    await worker.process([record("t.user-erased", erased, 2)])
    assert store.scrubs == [True]  # a redelivered erasure deletes nothing more


class UnavailableStore(SqliteStore):
    def transaction(self) -> Any:
        raise StoreUnavailableError("disk full")


async def test_an_unavailable_store_is_not_the_messages_fault(tmp_path: Any) -> None:
    broker, handler = RecordingBroker(), Counter()
    worker = consumer(UnavailableStore(":memory:"), broker, handler, store_patience_s=0.3)
    with pytest.raises(StoreUnavailableError):
        await worker.process([record("t.profile-updated", revision(1))])
    assert broker.published == []  # nothing dead-lettered: the batch will be redelivered
    assert worker.store_unavailable_since is not None


def test_backoff_doubles_up_to_a_ceiling() -> None:
    policy = RetryPolicy(attempts=5, backoff_s=0.2, max_backoff_s=1.0)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [0.2, 0.4, 0.8, 1.0]


async def test_an_erasure_and_the_persons_later_events_in_one_batch_leave_nothing(store: SqliteStore) -> None:
    # The batch reads the inbox once: an erasure must still drop the events that follow it in the same batch.
    broker, handler = RecordingBroker(), Counter()
    worker = consumer(store, broker, handler)
    person = revision(4)
    erased = UserErased(subject=person.subject)
    before = record("t.profile-updated", revision(3), 0)
    await worker.process([before, record("t.user-erased", erased, 1), record("t.profile-updated", person, 2)])
    assert handler.calls == 1  # the event before the erasure was applied (then erased), the one after dropped
    assert await store.collection("effects").count() == 0
    await worker.process([record("t.profile-updated", person, 2)])  # and a redelivery is a duplicate
    assert handler.calls == 1


def test_a_batch_is_applied_in_time_order_across_partitions_each_partitions_order_kept() -> None:
    # A fetch hands records over partition after partition: a consent withdrawn (one topic) must not be
    # applied after the diagnosis that followed it (another topic) just because they came in one batch.
    def at(topic: str, offset: int, timestamp: int) -> Any:
        return dataclasses.replace(record(topic, b"{}", offset), timestamp=timestamp)

    diagnosis = at("t.diagnosis-ready", 0, 20)
    consent, later = at("t.profile-updated", 0, 10), at("t.profile-updated", 1, 30)
    skewed = at("t.profile-updated", 2, 5)  # a clock behind: still after its partition's earlier records
    assert _in_time_order([diagnosis, consent, later, skewed]) == [consent, diagnosis, later, skewed]
    same_ms = [at("t.a", 0, 7), at("t.b", 0, 7), at("t.a", 1, 7)]
    assert _in_time_order(same_ms) == same_ms  # ties keep the batch's order
