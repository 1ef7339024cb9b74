"""Every event consumer of every service survives junk: it never raises, and the partition goes on.

Each service's own subscriptions (from its ``bootstrap.py``, with its start-up data
loaded) run in the real ``EventConsumer`` on a real SQLite store, with a broker
that records what it is asked to publish. Malformed records (random bytes,
invalid UTF-8, JSON of the wrong shape, envelopes with wrong field types, huge
strings, deep nesting, huge arrays, unknown event types, missing or
personal-looking subjects, Kafka tombstones) are fed between valid events on one
partition: each malformed record must reach ``<topic>.dlq`` with an
``x-dlq-error`` header, and each valid event must be applied (in the inbox).
"""

from __future__ import annotations

import asyncio
import importlib
import itertools
import json
import logging
import os
import types
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from services.advice import bootstrap as advice
from services.advice.repository import INDEXES as ADVICE_INDEXES
from services.advice.settings import AdviceSettings
from services.advice.state import AdviceState
from services.diagnostic import bootstrap as diagnostic
from services.diagnostic.repository import INDEXES as DIAGNOSTIC_INDEXES
from services.diagnostic.settings import DiagnosticSettings
from services.diagnostic.state import DiagnosticState
from services.notifications import bootstrap as notifications
from services.notifications.repository import INDEXES as NOTIFICATIONS_INDEXES
from services.notifications.settings import NotificationsSettings
from services.notifications.state import NotificationsState
from services.partners import bootstrap as partners
from services.partners.settings import PartnersSettings
from services.volunteers import bootstrap as volunteers
from services.volunteers.repository import INDEXES as VOLUNTEERS_INDEXES
from services.volunteers.settings import VolunteersSettings
from services.volunteers.state import VolunteersState
from shared.consumer import EventConsumer, Subscription
from shared.envelope import Event
from shared.inbox import INBOX, INBOX_INDEXES
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX_INDEXES, Outbox
from shared.service import ServiceRuntime
from shared.settings import ServiceSettings
from shared.store import Index
from shared.store.sqlite import SqliteStore
from shared.telemetry import new_metrics_registry
from tests.unit.shared.fakes import Published, RecordingBroker
from tests.unit.test_contracts import models_in

ROOT = Path(__file__).resolve().parents[3]
PREFIX = "fz."
EXAMPLES = int(os.environ.get("CONSUMER_FUZZ_EXAMPLES", "200"))
# Looks like what must never be a subject: an email, a phone number, a full name.
PERSONAL_SUBJECTS = ("martine.dupont@example.org", "+33 6 12 34 56 78", "Martine Dupont")


@dataclass(frozen=True)
class ServiceUnderTest:
    """How a service builds its subscriptions, as its ``bootstrap.py`` does."""

    settings: type[ServiceSettings]
    subscriptions: Callable[[ServiceRuntime], Mapping[str, Subscription[Any]]]
    indexes: Sequence[Index] = ()
    on_startup: Callable[[ServiceRuntime], Awaitable[None]] | None = None
    state: Callable[[], Any] = lambda: None


SERVICES: dict[str, ServiceUnderTest] = {
    "diagnostic": ServiceUnderTest(
        DiagnosticSettings, diagnostic.subscriptions, DIAGNOSTIC_INDEXES, diagnostic.load_market, DiagnosticState
    ),
    "advice": ServiceUnderTest(AdviceSettings, advice.subscriptions, ADVICE_INDEXES, state=AdviceState),
    "notifications": ServiceUnderTest(
        NotificationsSettings, notifications.subscriptions, NOTIFICATIONS_INDEXES, state=NotificationsState
    ),
    "volunteers": ServiceUnderTest(
        VolunteersSettings, volunteers.subscriptions, VOLUNTEERS_INDEXES, volunteers.load_references, VolunteersState
    ),
    "partners": ServiceUnderTest(PartnersSettings, partners.subscriptions),
}


def example_values(model: type[BaseModel]) -> dict[str, Any]:
    """Return a payload built from the examples every contract field documents (nested models recursively)."""
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        inner = models_in(info.annotation)
        if info.examples:
            values[name] = info.examples[0]
        elif inner and not isinstance(info.annotation, types.GenericAlias):
            values[name] = example_values(inner[0])
    return values


def valid_payload(event: type[Event], subject: str) -> dict[str, Any]:
    """Return a valid event of this type as JSON data, with a fresh id, about ``subject``."""
    built = event.model_validate(example_values(event) | {"subject": subject, "event_id": str(uuid.uuid4())})
    payload: dict[str, Any] = built.model_dump(mode="json")
    return payload


def new_subject() -> str:
    return "u_" + uuid.uuid4().hex[:16]


@dataclass
class Consumer:
    """One service's consumer, its store and what it dead-lettered."""

    service: str
    worker: EventConsumer
    store: SqliteStore
    broker: RecordingBroker
    events: dict[str, type[Event]]
    offsets: Iterator[int] = field(default_factory=itertools.count)


@dataclass
class Harness:
    runner: asyncio.Runner
    consumers: dict[str, Consumer]
    logs: list[str]

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Return every (service, topic) the services consume."""
        return [(name, topic) for name, consumer in self.consumers.items() for topic in consumer.events]


class _Remember(logging.Handler):
    def __init__(self, lines: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


async def _build(name: str, service: ServiceUnderTest, var_dir: Path) -> Consumer:
    settings = service.settings(VAR_DIR=var_dir, TOPIC_PREFIX=PREFIX, EVENT_RETRY_BACKOFF_S=0)
    store = SqliteStore(str(var_dir / f"{name}.sqlite3"))
    await store.ensure_indexes([*OUTBOX_INDEXES, *INBOX_INDEXES, *service.indexes])
    broker = RecordingBroker()
    runtime = ServiceRuntime(
        settings=settings,
        store=store,
        broker=cast(KafkaBroker, broker),
        outbox=Outbox(PREFIX),
        metrics=ServiceMetrics(new_metrics_registry()),
        state=service.state(),
    )
    if service.on_startup is not None:
        await service.on_startup(runtime)
    subscriptions = service.subscriptions(runtime)
    worker = EventConsumer(
        settings=settings,
        store=store,
        outbox=runtime.outbox,
        broker=cast(KafkaBroker, broker),
        subscriptions=subscriptions,
        metrics=runtime.metrics,
    )
    return Consumer(name, worker, store, broker, {topic: sub.event for topic, sub in subscriptions.items()})


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """Every service's consumer, built once on its own loop (hypothesis runs synchronous tests)."""
    var_dir = tmp_path_factory.mktemp("consumer-fuzz")
    logs: list[str] = []
    remember = _Remember(logs)
    logging.getLogger().addHandler(remember)
    with asyncio.Runner() as runner:
        consumers = {name: runner.run(_build(name, service, var_dir)) for name, service in SERVICES.items()}
        yield Harness(runner, consumers, logs)
        for consumer in consumers.values():
            runner.run(consumer.store.close())
    logging.getLogger().removeHandler(remember)


def consumer_record(
    consumer: Consumer, topic: str, value: bytes | None, headers: Sequence[tuple[str, bytes]] = ()
) -> ConsumerRecord[bytes, bytes]:
    """Return the next record of partition 0 of the topic, as aiokafka delivers it (``None`` is a tombstone)."""
    key = b"u_0123456789abcdef"
    return ConsumerRecord(
        topic=PREFIX + topic,
        partition=0,
        offset=next(consumer.offsets),
        timestamp=0,
        timestamp_type=0,
        key=key,
        value=value,  # aiokafka delivers None for a tombstone
        checksum=None,
        serialized_key_size=len(key),
        serialized_value_size=len(value or b""),
        headers=list(headers),
    )


def encode(payload: Any) -> bytes:
    # The standard library, not orjson: generated junk holds integers beyond 64 bits.
    return json.dumps(payload).encode()


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def huge_array(items: int) -> bytes:
    return b"[" + b"0," * (items - 1) + b"0]"


def with_raw(payload: dict[str, Any], name: str, raw: bytes) -> bytes:
    """Return the payload as JSON with the value of ``name`` replaced by raw bytes (not necessarily JSON)."""
    marker = f"raw-{uuid.uuid4().hex}"
    encoded = encode(payload | {name: marker})
    assert encode(marker) in encoded
    return encoded.replace(encode(marker), raw, 1)


def malformed_examples(event: type[Event]) -> dict[str, bytes | None]:
    """Return one record value of each kind of junk, for a topic carrying ``event``."""
    valid = valid_payload(event, new_subject())
    raw = encode(valid)
    other_type = "user-erased" if valid["event_type"] != "user-erased" else "profile-updated"
    without_subject = {k: v for k, v in valid.items() if k != "subject"}
    return {
        "tombstone": None,
        "empty": b"",
        "random bytes": bytes(range(256)) * 4,
        "invalid utf-8 in a string": with_raw(valid, "producer", b'"\xff\xfeprofile"'),
        "overlong utf-8": with_raw(valid, "producer", b'"\xc0\xafprofile"'),
        "not json": b"event_type=profile-updated&subject=u_0123456789abcdef",
        "a json list": encode([valid]),
        "a json string": encode(raw.decode()),
        "a json number": b"42",
        "json null": b"null",
        "an object of another shape": encode({"type": "profile-updated", "payload": valid}),
        "event_id of the wrong type": encode(valid | {"event_id": 12.5}),
        "occurred_at of the wrong type": encode(valid | {"occurred_at": {"at": 1}}),
        "subject of the wrong type": encode(valid | {"subject": [valid["subject"]]}),
        "schema_version of the wrong type": encode(valid | {"schema_version": "one"}),
        "producer of the wrong type": encode(valid | {"producer": 42}),
        "data of the wrong type": encode(valid | {"data": [1, 2, 3]}),
        "a huge string as the whole value": b'"' + b"x" * 3_000_000 + b'"',
        "a huge string as event_id": encode(valid | {"event_id": "a" * 2_000_000}),
        "10,000 levels of nesting": nested(10_000),
        "10,000 levels of nesting as data": with_raw(valid, "data", nested(10_000)),
        "1,000,000 items": huge_array(1_000_000),
        "1,000,000 items as subject": with_raw(valid, "subject", huge_array(1_000_000)),
        "an unknown event_type": encode(valid | {"event_type": "profile-deleted"}),
        "another topic's event_type": encode(valid | {"event_type": other_type}),
        "no subject": encode(without_subject),
        **{f"subject {subject!r}": encode(valid | {"subject": subject}) for subject in PERSONAL_SUBJECTS},
    }


def dead_letters_since(consumer: Consumer, before: int) -> list[Published]:
    return consumer.broker.published[before:]


async def applied(consumer: Consumer, payloads: Sequence[dict[str, Any]]) -> list[bool]:
    return [await consumer.store.collection(INBOX).get(p["event_id"]) is not None for p in payloads]


def test_every_service_that_consumes_events_is_fuzzed() -> None:
    consuming = sorted(
        path.parent.name
        for path in (ROOT / "services").glob("*/bootstrap.py")
        if hasattr(importlib.import_module(f"services.{path.parent.name}.bootstrap"), "subscriptions")
    )
    assert consuming == sorted(SERVICES), "add the new consuming service to SERVICES"


def test_the_example_events_are_applied_by_every_service(harness: Harness) -> None:
    # The valid events around the junk must be ones each handler applies, or the other tests prove nothing.
    for service, topic in harness.pairs:
        consumer = harness.consumers[service]
        payload = valid_payload(consumer.events[topic], new_subject())
        before = len(consumer.broker.published)
        harness.runner.run(consumer.worker.process([consumer_record(consumer, topic, encode(payload))]))
        assert dead_letters_since(consumer, before) == [], f"{service} dead-lettered a valid {topic}"
        assert harness.runner.run(applied(consumer, [payload])) == [True], f"{service} did not apply {topic}"


def test_each_kind_of_junk_is_dead_lettered_by_every_consumer_and_the_partition_goes_on(harness: Harness) -> None:
    assert len(harness.pairs) >= 20
    for service, topic in harness.pairs:
        consumer = harness.consumers[service]
        subject = new_subject()
        first, last = (valid_payload(consumer.events[topic], subject) for _ in range(2))
        junk = malformed_examples(consumer.events[topic])
        records = [
            consumer_record(consumer, topic, encode(first)),
            *(consumer_record(consumer, topic, value) for value in junk.values()),
            consumer_record(consumer, topic, encode(last)),
        ]
        before = len(consumer.broker.published)
        harness.runner.run(consumer.worker.process(records))

        dead = {int(d.headers["x-dlq-offset"]): d for d in dead_letters_since(consumer, before)}
        for kind, record in zip(junk, records[1:-1], strict=True):
            letter = dead.pop(record.offset, None)
            assert letter is not None, f"{service} did not dead-letter {kind} on {topic}"
            assert letter.topic == f"{PREFIX}{topic}.dlq"
            assert letter.value == (record.value or b"")
            assert letter.headers["x-dlq-error"], f"{service}: no reason for {kind}"
            assert letter.headers["x-dlq-attempts"] == "0"  # refused at once, no retries
        assert dead == {}, f"{service} dead-lettered valid events of {topic}"
        assert harness.runner.run(applied(consumer, [first, last])) == [True, True], f"{service} stopped on {topic}"


def test_a_personal_looking_subject_is_named_neither_in_the_reason_nor_in_the_logs(harness: Harness) -> None:
    consumer = harness.consumers["notifications"]
    before, logged = len(consumer.broker.published), len(harness.logs)
    for subject in PERSONAL_SUBJECTS:
        value = encode(valid_payload(consumer.events["profile-updated"], new_subject()) | {"subject": subject})
        harness.runner.run(consumer.worker.process([consumer_record(consumer, "profile-updated", value)]))
    letters = dead_letters_since(consumer, before)
    assert len(letters) == len(PERSONAL_SUBJECTS)
    reasons = " ".join(letter.headers["x-dlq-error"] for letter in letters) + " ".join(harness.logs[logged:])
    assert "subject" in reasons  # the reason names the field...
    for subject in PERSONAL_SUBJECTS:
        assert subject not in reasons  # ...never its value


# Generated junk: each strategy builds a value that no contract accepts, from a valid event's data.
JSON_SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
)
NOT_A_SCALAR = st.lists(JSON_SCALARS, max_size=3) | st.dictionaries(st.text(max_size=5), JSON_SCALARS, min_size=1)
NOT_AN_OBJECT = JSON_SCALARS | st.lists(JSON_VALUES, max_size=3)


def junk(event: type[Event], valid: dict[str, Any]) -> st.SearchStrategy[bytes | None]:
    """Return a strategy of record values that are malformed for a topic carrying ``event``."""
    raw = encode(valid)
    scalar_fields = [name for name, value in valid.items() if not isinstance(value, (dict, list))]
    required = [name for name, info in event.model_fields.items() if info.is_required()]
    literal = valid["event_type"]

    def spliced(at: int, bad: bytes) -> bytes:
        # Bytes 0x80-0xFF alone are never valid UTF-8, inside a string or out of it.
        return raw[:at] + bad + raw[at:]

    return st.one_of(
        st.just(None),
        st.binary(max_size=300),
        st.builds(spliced, st.integers(0, len(raw)), st.binary(min_size=1, max_size=3).map(lambda b: b"\xff" + b)),
        NOT_AN_OBJECT.map(encode),
        st.dictionaries(st.text(max_size=8).filter(lambda k: k not in valid), JSON_VALUES, max_size=5).map(encode),
        st.builds(lambda name, bad: encode(valid | {name: bad}), st.sampled_from(scalar_fields), NOT_A_SCALAR),
        NOT_AN_OBJECT.map(lambda bad: encode(valid | {"data": bad})),
        st.builds(
            lambda name, size: encode(valid | {name: "x" * size}),
            st.sampled_from(["event_id", "occurred_at"]),
            st.integers(10_000, 500_000),
        ),
        st.integers(1_000, 20_000).map(lambda depth: with_raw(valid, "data", nested(depth))),
        st.integers(1_000, 20_000).map(nested),
        st.integers(10_000, 200_000).map(lambda n: with_raw(valid, "subject", huge_array(n))),
        st.text(max_size=40).filter(lambda t: t != literal).map(lambda t: encode(valid | {"event_type": t})),
        st.sampled_from(required).map(lambda name: encode({k: v for k, v in valid.items() if k != name})),
        (st.emails() | st.from_regex(r"\A\+33 [67]( [0-9]{2}){4}\Z") | st.sampled_from(PERSONAL_SUBJECTS)).map(
            lambda subject: encode(valid | {"subject": subject})
        ),
    )


HEADERS = st.lists(
    st.tuples(
        st.sampled_from(["traceparent", "tracestate", "baggage", "x-dlq-error"]) | st.text(max_size=8),
        st.binary(max_size=80),
    ),
    max_size=3,
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(data=st.data())
def test_generated_junk_never_stops_a_consumer(harness: Harness, data: st.DataObject) -> None:
    service, topic = data.draw(st.sampled_from(harness.pairs), label="consumer")
    consumer = harness.consumers[service]
    event = consumer.events[topic]
    subject = new_subject()
    first, last = valid_payload(event, subject), valid_payload(event, subject)
    values = data.draw(st.lists(junk(event, first), min_size=1, max_size=4), label="junk")
    headers = data.draw(HEADERS, label="headers")  # on the valid events too: they must be applied all the same
    records = [
        consumer_record(consumer, topic, encode(first), headers),
        *(consumer_record(consumer, topic, value, headers) for value in values),
        consumer_record(consumer, topic, encode(last), headers),
    ]
    one_batch = data.draw(st.booleans(), label="one batch")
    before = len(consumer.broker.published)

    for batch in [records] if one_batch else [[r] for r in records]:
        harness.runner.run(consumer.worker.process(batch))

    dead = dead_letters_since(consumer, before)
    assert [int(d.headers["x-dlq-offset"]) for d in dead] == [r.offset for r in records[1:-1]]
    assert all(d.topic == f"{PREFIX}{topic}.dlq" and d.headers["x-dlq-error"] for d in dead)
    assert harness.runner.run(applied(consumer, [first, last])) == [True, True]
