"""The Prometheus metrics every service exposes on ``/metrics``."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from shared.topics import dlq_topic

log = logging.getLogger(__name__)

TopicSizes = Callable[[Sequence[str]], Awaitable[Mapping[str, int]]]


class ServiceMetrics:
    """Counters and gauges of the delivery machinery, labelled by topic."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.events = Counter(
            "coach_events_total",
            "Events handled, by outcome (applied, duplicate, erased, dead-lettered).",
            ["topic", "outcome"],
            registry=registry,
        )
        self.handler_seconds = Histogram(
            "coach_handler_seconds",
            "Time spent applying one batch of events.",
            ["topic"],
            registry=registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.retries = Counter("coach_handler_retries_total", "Handler retries.", ["topic"], registry=registry)
        self.dead_letters = Counter(
            "coach_dlq_messages_total", "Messages sent to a dead-letter topic.", ["topic"], registry=registry
        )
        self.outbox_backlog = Gauge("coach_outbox_backlog", "Events waiting in the outbox.", registry=registry)
        self.consumer_lag = Gauge(
            "coach_consumer_lag", "Messages not yet consumed, by topic.", ["topic"], registry=registry
        )
        self.consumer_idle = Gauge(
            "coach_consumer_idle",
            "1 while the consumer polls at the idle pace (nothing received for a while; shared/pace.py).",
            registry=registry,
        )
        self.store_up = Gauge("coach_store_up", "1 when the store answers and can write.", registry=registry)
        self.emails_sent = Counter(
            "coach_emails_sent_total",
            "Emails handed to the SMTP server, by campaign and status.",
            ["campaign", "status"],
            registry=registry,
        )
        self.dlq_size = Gauge(
            "coach_dlq_size",
            "Messages present in the dead-letter topic (end minus beginning offsets; replayed ones stay"
            " until the broker's retention removes them), whichever consumer group put them there.",
            ["topic"],
            registry=registry,
        )
        self.dead_letter_sizes: DeadLetterSizes | None = None

    def watch_dead_letters(self, bootstrap_servers: str, consumed_topics: Sequence[str]) -> None:
        """Measure, when metrics are refreshed, the size of the dead-letter topics of the consumed topics."""
        self.dead_letter_sizes = DeadLetterSizes(
            self.dlq_size,
            [dlq_topic(topic) for topic in consumed_topics],
            functools.partial(kafka_topic_sizes, bootstrap_servers),
        )

    async def refresh(self) -> None:
        """Bring the figures measured on demand up to date (call before a scrape; never raises)."""
        if self.dead_letter_sizes is not None:
            await self.dead_letter_sizes.refresh()


class DeadLetterSizes:
    """Keeps the dead-letter size gauge current, asking the broker at most once per ``max_age_s``.

    A scrape must stay cheap and must answer even when the broker does not: a
    measurement is bounded by ``timeout_s``, and a failed one keeps the last figures.
    """

    def __init__(
        self,
        gauge: Gauge,
        topics: Sequence[str],
        measure: TopicSizes,
        *,
        timeout_s: float = 2.0,
        max_age_s: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._gauge = gauge
        self.topics = list(topics)
        self._measure = measure
        self._timeout_s = timeout_s
        self._max_age_s = max_age_s
        self._clock = clock
        self._measured_at: float | None = None
        self._lock = asyncio.Lock()
        self.failing = False

    def _fresh(self) -> bool:
        return self._measured_at is not None and self._clock() - self._measured_at < self._max_age_s

    async def refresh(self) -> None:
        """Measure the dead-letter topics again unless the last measurement is recent."""
        if not self.topics or self._fresh():
            return
        async with self._lock:  # concurrent scrapes wait for one measurement
            if self._fresh():
                return
            try:
                sizes = await asyncio.wait_for(self._measure(self.topics), self._timeout_s)
            except Exception as error:  # any broker failure: keep the last figures
                if not self.failing:
                    log.warning("dead-letter sizes not measured: %s", type(error).__name__)
                self.failing = True
            else:
                self.failing = False
                for topic in self.topics:
                    self._gauge.labels(topic).set(sizes.get(topic, 0))
            # A failure also waits max_age_s: an unreachable broker must not slow every scrape.
            self._measured_at = self._clock()


async def kafka_topic_sizes(bootstrap_servers: str, topics: Sequence[str]) -> dict[str, int]:
    """Return how many messages each existing topic holds (end minus beginning offsets, over its partitions)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    try:
        await admin.start()
        described = await admin.describe_topics(list(topics))
        partitions = [
            TopicPartition(topic["topic"], partition["partition"])
            for topic in described
            if topic["error_code"] == 0
            for partition in topic["partitions"]
        ]
        if not partitions:
            return {}
        await consumer.start()
        ends = await consumer.end_offsets(partitions)
        beginnings = await consumer.beginning_offsets(partitions)
    finally:
        with contextlib.suppress(Exception):
            await consumer.stop()
        with contextlib.suppress(Exception):
            await admin.close()
    sizes: dict[str, int] = {}
    for partition in partitions:
        sizes[partition.topic] = sizes.get(partition.topic, 0) + max(0, ends[partition] - beginnings[partition])
    return sizes
