"""A system that samples no trace (``OTEL_TRACES_SAMPLER_ARG=0``): the trace context still travels from
a request to its events, nothing is exported for a request that went well, and a dead-lettered event
is exported in its trace."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from deploy.ops.traces import load_spans
from tests.support.journey import sign_up
from tests.support.system import Broker, System, eventually, start_system

pytestmark = pytest.mark.integration
SAMPLE_NONE = {"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"}


def not_sampled_parent() -> tuple[str, str]:
    """Return a new trace id and a W3C traceparent that says "not sampled" for it."""
    trace_id = secrets.token_hex(16)
    return trace_id, f"00-{trace_id}-{secrets.token_hex(8)}-00"


@pytest.fixture(scope="module")
async def system(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    running = await start_system(
        broker,
        tmp_path_factory.mktemp("sampled-out") / "var",
        ("profile", "notifications", "gateway"),
        extra_env=SAMPLE_NONE,
    )
    yield running
    running.stop()


async def test_the_context_travels_on_to_the_events_and_nothing_is_exported(system: System) -> None:
    trace_id, traceparent = not_sampled_parent()
    async with httpx.AsyncClient(
        base_url=system.url("gateway"), timeout=15, headers={"traceparent": traceparent}
    ) as client:
        person = await sign_up(client)

    # gateway → profile (HTTP) → outbox → Kafka: the profile service's events carry the request's trace,
    # flagged not sampled, for every consumer to continue.
    consumer = AIOKafkaConsumer(
        system.prefix + "profile-updated", bootstrap_servers=system.broker.bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:

        async def event_of_that_person() -> dict[str, str] | None:
            batches = await consumer.getmany(timeout_ms=500)
            for record in (r for records in batches.values() for r in records):
                if record.key == person.user_id.encode():
                    return {k: v.decode() for k, v in record.headers}
            return None

        headers = await eventually(event_of_that_person, timeout=30, interval=0.1)
    finally:
        await consumer.stop()
    assert headers["traceparent"].split("-")[1] == trace_id
    assert int(headers["traceparent"].split("-")[3], 16) & 1 == 0  # not sampled
    assert trace_id not in load_spans(system.var_dir / "traces")


async def test_a_dead_lettered_event_is_exported_when_its_trace_was_not_sampled(system: System) -> None:
    trace_id, traceparent = not_sampled_parent()
    producer = AIOKafkaProducer(bootstrap_servers=system.broker.bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(
            system.prefix + "profile-updated",
            b"not an event",
            key=b"u_00000000000000d1",
            headers=[("traceparent", traceparent.encode())],
        )
    finally:
        await producer.stop()

    def dead_letter_span() -> list[str] | None:
        spans = load_spans(system.var_dir / "traces").get(trace_id, [])
        names = [f"{s.service} {s.name} {s.status}" for s in spans]
        return names if any("dead-letter profile-updated ERROR" in n for n in names) else None

    names = await eventually(dead_letter_span, timeout=30, interval=0.5)
    assert "notifications dead-letter profile-updated ERROR" in names, names
