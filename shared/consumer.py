"""Event consumption with one delivery policy for every service.

* The offsets of a batch are committed only after every message in it was
  applied or dead-lettered (FastStream ``AckPolicy.NACK_ON_ERROR``: an error
  seeks back and the batch is consumed again).
* Each event is applied in a unit of work together with its inbox entry, so a
  redelivered event has no second effect.
* A batch is first applied in one transaction (fast path). If a handler fails,
  the transaction is rolled back and the events are applied one by one with
  bounded retries and backoff; an event that still fails goes to
  ``<topic>.dlq`` with the error, and the partition moves on.
* A message that cannot be parsed goes to the dead-letter topic at once.
* An unavailable store is not the message's fault: it is retried with backoff
  for a while, then the batch is redelivered; nothing is dead-lettered.
* Once a batch that applied a ``user-erased`` has committed, the store scrubs
  what was deleted from its files (``Store.scrub_deleted``): every service's
  erasure goes through here.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from faststream.message import StreamMessage
from faststream.middlewares import AckPolicy
from opentelemetry import trace
from pydantic import ValidationError

from shared.contracts.profile import UserErased
from shared.envelope import Event, iso, utc_now
from shared.inbox import applied_among, erased_among, record_all_applied, record_erased
from shared.metrics import ServiceMetrics
from shared.outbox import Outbox
from shared.pace import ConsumerPace, Waits
from shared.settings import ServiceSettings
from shared.store import Store, StoreUnavailableError
from shared.telemetry import extract_context, inject_context, tracer
from shared.topics import dlq_topic
from shared.unit_of_work import UnitOfWork, unit_of_work

E = TypeVar("E", bound=Event)
BUSY_BATCH_TIMEOUT_MS = 50
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Subscription(Generic[E]):
    """What a service does with one kind of event."""

    event: type[E]
    handle: Callable[[E, UnitOfWork], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff."""

    attempts: int = 3
    backoff_s: float = 0.2
    max_backoff_s: float = 5.0

    def delay(self, attempt: int) -> float:
        """Return the wait before retry number ``attempt`` (1-based)."""
        return float(min(self.backoff_s * (2 ** (attempt - 1)), self.max_backoff_s))


class PoisonMessageError(Exception):
    """The message can never be applied (malformed, unknown topic)."""


@dataclass
class _Parsed:
    record: ConsumerRecord[bytes, bytes]
    topic: str
    event: Event


@dataclass
class _BatchInbox:
    """What the inbox says of one batch: ids already applied, subjects erased, events applied now."""

    seen: set[str]
    erased: set[str]
    applied: list[Event] = field(default_factory=list)


async def _raw_records(message: StreamMessage[Any]) -> Any:
    """Return a batch's records as they came: the consumer parses each one with its event's model.

    FastStream's own decoder would decode every value from JSON first, only for the result to be dropped.
    """
    return message.raw_message


def _in_time_order(records: Sequence[ConsumerRecord[bytes, bytes]]) -> Sequence[ConsumerRecord[bytes, bytes]]:
    """Return a batch's records merged across partitions by their timestamps, each partition's order kept.

    A fetch returns its records partition after partition. With long fetch waits (a background consumer)
    a batch often holds events of several topics, and a later event of one topic (a diagnosis) would be
    applied before an earlier one of another (the consent withdrawn just before it).
    """
    # Equal timestamps (the same millisecond, or a broker that sets none) keep the batch's own order.
    partitions: dict[tuple[str, int], list[tuple[int, int, ConsumerRecord[bytes, bytes]]]] = {}
    for position, record in enumerate(records):
        partitions.setdefault((record.topic, record.partition), []).append((record.timestamp, position, record))
    if len(partitions) < 2:
        return records
    return [record for _, _, record in heapq.merge(*partitions.values(), key=lambda item: item[:2])]


def _headers(record: ConsumerRecord[Any, Any]) -> dict[str, str]:
    return {k: (v.decode(errors="replace") if isinstance(v, bytes) else str(v)) for k, v in record.headers or ()}


class EventConsumer:
    """Applies one service's subscriptions with the inbox, outbox, retry and DLQ policy."""

    def __init__(
        self,
        *,
        settings: ServiceSettings,
        store: Store,
        outbox: Outbox,
        broker: KafkaBroker,
        subscriptions: Mapping[str, Subscription[Any]],
        metrics: ServiceMetrics,
        clock: Callable[[], datetime] = utc_now,
        store_patience_s: float = 30.0,
    ) -> None:
        self._settings = settings
        self._store = store
        self._outbox = outbox
        self._broker = broker
        self._prefix = settings.topic_prefix
        self._subscriptions = {settings.topic(name): sub for name, sub in subscriptions.items()}
        self._metrics = metrics
        self._clock = clock
        self.retry = RetryPolicy(settings.retry_attempts, settings.retry_backoff_s)
        self._store_patience_s = store_patience_s
        self.store_unavailable_since: float | None = None
        self.subscriber: Any = None
        self.pace: ConsumerPace | None = None

    @property
    def topics(self) -> list[str]:
        """Return the broker topics this consumer reads."""
        return list(self._subscriptions)

    def register(self, *, max_records: int = 500) -> None:
        """Attach the consumer to the broker (before the broker starts)."""
        if not self._subscriptions:
            return
        settings = self._settings
        idle = Waits(settings.kafka_idle_fetch_max_wait_ms, settings.kafka_idle_batch_timeout_ms)
        # A background consumer (settings.background_consumer) never takes the busy pace's short waits.
        busy = idle if settings.background_consumer else Waits(settings.kafka_fetch_max_wait_ms, BUSY_BATCH_TIMEOUT_MS)
        subscriber = self._broker.subscriber(
            *self.topics,
            group_id=self._settings.topic("group." + self._settings.service_name),
            batch=True,
            max_records=max_records,
            batch_timeout_ms=busy.batch_timeout_ms or BUSY_BATCH_TIMEOUT_MS,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            session_timeout_ms=self._settings.kafka_session_timeout_ms,
            heartbeat_interval_ms=self._settings.kafka_heartbeat_interval_ms,
            fetch_max_wait_ms=busy.fetch_max_wait_ms,
            include_in_schema=False,
            decoder=_raw_records,
        )

        # One parameter, filled by the decoder above: a ``KafkaMessage`` parameter is a FastStream
        # context field, which FastDepends resolves in a worker thread, a thread hop per batch.
        async def consume(records: Any) -> None:
            await self.process(records if isinstance(records, tuple) else (records,))

        subscriber(consume)
        self.subscriber = subscriber
        settings = self._settings
        self.pace = ConsumerPace(
            subscriber,
            busy=busy,
            idle=idle,
            idle_after_s=settings.kafka_idle_after_s,
            observe=lambda idle: self._metrics.consumer_idle.set(1 if idle else 0),
        )

    async def process(self, records: Sequence[ConsumerRecord[bytes, bytes]]) -> None:
        """Apply a batch of records; return only when each one is applied or dead-lettered."""
        if self.pace is not None:
            self.pace.event_seen()
        parsed: list[_Parsed] = []
        for record in _in_time_order(records):
            try:
                parsed.append(self._parse(record))
            except PoisonMessageError as error:
                await self._dead_letter(record, error, attempts=0)
        if not parsed:
            return
        started = time.perf_counter()
        if len(parsed) > 1:
            try:
                await self._with_store_patience(lambda: self._apply_all(parsed))
                self._observe(parsed, started)
                return
            except StoreUnavailableError:
                raise
            except Exception:
                log.info("batch of %d failed, applying one by one", len(parsed))
        for item in parsed:
            await self._apply_with_retries(item)
        self._observe(parsed, started)

    def _observe(self, parsed: Sequence[_Parsed], started: float) -> None:
        self._metrics.handler_seconds.labels(parsed[0].topic).observe(time.perf_counter() - started)

    def _parse(self, record: ConsumerRecord[bytes, bytes]) -> _Parsed:
        subscription = self._subscriptions.get(record.topic)
        if subscription is None:
            raise PoisonMessageError(f"no subscription for topic {record.topic}")
        try:
            event = subscription.event.model_validate_json(record.value or b"")
        except ValidationError as error:
            fields = ", ".join(".".join(str(p) for p in e["loc"]) + ": " + e["type"] for e in error.errors()[:5])
            raise PoisonMessageError(f"invalid {subscription.event.__name__}: {fields}") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise PoisonMessageError(f"undecodable message: {type(error).__name__}") from None
        return _Parsed(record, record.topic, event)

    async def _apply_all(self, items: Sequence[_Parsed]) -> None:
        async with unit_of_work(self._store, self._outbox, self._clock) as uow:
            # The inbox is read once for the batch and written once: per event, these three store calls
            # cost more than many handlers. The sets are kept up to date as the batch goes, for a copy of
            # an event or an erasure followed by the person's events in the same batch.
            events = [item.event for item in items]
            inbox = _BatchInbox(await applied_among(uow, events), await erased_among(uow, (e.subject for e in events)))
            for item in items:
                await self._apply(uow, item, inbox)
            await record_all_applied(uow, inbox.applied, uow.now)
        if any(isinstance(event, UserErased) for event in inbox.applied):
            # The erasure is committed: what it deleted must not stay readable in the store's files either.
            # Not a reason to apply the batch again: the hourly housekeeping scrubs whatever is left.
            try:
                await self._store.scrub_deleted()
            except StoreUnavailableError as error:
                log.warning("deleted data not scrubbed after an erasure: %s", type(error).__name__)

    async def _apply(self, uow: UnitOfWork, item: _Parsed, inbox: _BatchInbox) -> None:
        event = item.event
        with tracer().start_as_current_span(
            f"handle {event.topic}",
            context=extract_context(_headers(item.record)),
            kind=trace.SpanKind.CONSUMER,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": item.topic,
                "messaging.consumer.group.name": self._settings.service_name,
                "event.id": str(event.event_id),
                "event.type": event.event_type,
            },
        ):
            event_id = str(event.event_id)
            if event_id in inbox.seen:
                self._metrics.events.labels(item.topic, "duplicate").inc()
                return
            inbox.seen.add(event_id)
            erasure = isinstance(event, UserErased)
            if not erasure and event.subject in inbox.erased:
                outcome = "erased"
            else:
                published_before = len(uow.events)
                await self._subscriptions[item.topic].handle(event, uow)
                # Events published by this handler continue its trace, even when a batch of events
                # from many requests commits as one transaction.
                here = inject_context()
                for published in uow.events[published_before:]:
                    uow.traces.setdefault(str(published.event_id), here)
                if erasure:
                    await record_erased(uow, event.subject, uow.now)
                    inbox.erased.add(event.subject)
                outcome = "applied"
            inbox.applied.append(event)
            self._metrics.events.labels(item.topic, outcome).inc()

    async def _apply_with_retries(self, item: _Parsed) -> None:
        for attempt in range(1, self.retry.attempts + 1):
            try:
                await self._with_store_patience(lambda: self._apply_all([item]))
                return
            except StoreUnavailableError:
                raise
            except Exception as error:
                if attempt == self.retry.attempts:
                    await self._dead_letter(item.record, error, attempts=attempt)
                    return
                self._metrics.retries.labels(item.topic).inc()
                log.warning("handler failed on %s (attempt %d): %s", item.topic, attempt, type(error).__name__)
                await asyncio.sleep(self.retry.delay(attempt))

    async def _with_store_patience(self, apply: Callable[[], Awaitable[None]]) -> None:
        """Retry while the store is unavailable, up to the patience; then let the batch be redelivered."""
        waited = 0.0
        delay = 0.2
        while True:
            try:
                await apply()
                self.store_unavailable_since = None
                return
            except StoreUnavailableError as error:
                if self.store_unavailable_since is None:
                    self.store_unavailable_since = time.monotonic()
                if waited >= self._store_patience_s:
                    raise
                log.warning("store unavailable (%s), retrying in %.1fs", error, delay)
                await asyncio.sleep(delay)
                waited += delay
                delay = min(delay * 2, 5.0)

    async def _dead_letter(self, record: ConsumerRecord[bytes, bytes], error: BaseException, *, attempts: int) -> None:
        topic = record.topic
        original = topic.removeprefix(self._prefix)
        headers = _headers(record)
        headers.update(
            {
                "x-dlq-original-topic": topic,
                "x-dlq-partition": str(record.partition),
                "x-dlq-offset": str(record.offset),
                "x-dlq-consumer-group": self._settings.service_name,
                "x-dlq-attempts": str(attempts),
                "x-dlq-error-type": type(error).__name__,
                # Our exceptions name fields and reasons, never values: safe to keep.
                "x-dlq-error": str(error)[:500],
                "x-dlq-failed-at": iso(self._clock()),
            }
        )
        # A span of its own, in the event's trace and in error: the sampler records what it leaves out,
        # so a dead-lettered event's trace is exported whatever the sampling ratio (shared/telemetry.py).
        with tracer().start_as_current_span(
            f"dead-letter {original}",
            context=extract_context(_headers(record)),
            kind=trace.SpanKind.PRODUCER,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": self._prefix + dlq_topic(original),
                "messaging.consumer.group.name": self._settings.service_name,
                "error.type": type(error).__name__,
                "dlq.attempts": attempts,
            },
            record_exception=False,  # the exception's message is in the DLQ headers, not in a span
        ) as span:
            span.set_status(trace.StatusCode.ERROR, type(error).__name__)
            await self._broker.publish(
                record.value or b"", topic=self._prefix + dlq_topic(original), key=record.key, headers=headers
            )
        self._metrics.dead_letters.labels(topic).inc()
        self._metrics.events.labels(topic, "dead-lettered").inc()
        log.error("message dead-lettered from %s offset %s: %s", topic, record.offset, type(error).__name__)
