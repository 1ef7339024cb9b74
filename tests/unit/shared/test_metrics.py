"""The dead-letter size gauge: measured on demand, at most once per interval, and never breaking a scrape."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from prometheus_client import generate_latest

from shared.metrics import DeadLetterSizes, ServiceMetrics
from shared.telemetry import new_metrics_registry


class Broker:
    """Answers topic sizes like the broker would, counting how often it is asked; can be told to fail or hang."""

    def __init__(self, sizes: dict[str, int]) -> None:
        self.sizes = sizes
        self.asked = 0
        self.failure: Exception | None = None
        self.hang = False

    async def measure(self, topics: Sequence[str]) -> Mapping[str, int]:
        self.asked += 1
        if self.hang:
            await asyncio.Event().wait()
        if self.failure is not None:
            raise self.failure
        return {t: self.sizes[t] for t in topics if t in self.sizes}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def gauge_lines(metrics: ServiceMetrics) -> list[str]:
    text = generate_latest(metrics.registry).decode()
    return [line for line in text.splitlines() if line.startswith("coach_dlq_size")]


def watched(broker: Broker, clock: Clock, topics: Sequence[str], **options: float) -> ServiceMetrics:
    metrics = ServiceMetrics(new_metrics_registry())
    metrics.dead_letter_sizes = DeadLetterSizes(metrics.dlq_size, topics, broker.measure, clock=clock, **options)
    return metrics


async def test_each_dead_letter_topic_reports_the_messages_it_holds_and_an_empty_one_zero() -> None:
    broker = Broker({"profile-updated.dlq": 3})
    metrics = watched(broker, Clock(), ["profile-updated.dlq", "user-erased.dlq"])

    await metrics.refresh()

    assert gauge_lines(metrics) == [
        'coach_dlq_size{topic="profile-updated.dlq"} 3.0',
        'coach_dlq_size{topic="user-erased.dlq"} 0.0',
    ]


async def test_scrapes_within_the_interval_do_not_ask_the_broker_again() -> None:
    broker, clock = Broker({"profile-updated.dlq": 3}), Clock()
    metrics = watched(broker, clock, ["profile-updated.dlq"], max_age_s=15)

    await asyncio.gather(metrics.refresh(), metrics.refresh(), metrics.refresh())
    clock.now += 14
    broker.sizes["profile-updated.dlq"] = 5
    await metrics.refresh()
    assert broker.asked == 1 and gauge_lines(metrics) == ['coach_dlq_size{topic="profile-updated.dlq"} 3.0']

    clock.now += 2
    await metrics.refresh()
    assert broker.asked == 2 and gauge_lines(metrics) == ['coach_dlq_size{topic="profile-updated.dlq"} 5.0']


async def test_a_broker_error_or_a_silent_broker_keeps_the_last_figures_and_the_scrape_answers() -> None:
    broker, clock = Broker({"profile-updated.dlq": 3}), Clock()
    metrics = watched(broker, clock, ["profile-updated.dlq"], max_age_s=15, timeout_s=0.05)
    await metrics.refresh()

    clock.now += 20
    broker.failure = ConnectionError("broker down")
    await metrics.refresh()
    assert metrics.dead_letter_sizes is not None and metrics.dead_letter_sizes.failing

    clock.now += 20
    broker.failure, broker.hang = None, True
    await asyncio.wait_for(metrics.refresh(), timeout=5)  # bounded by timeout_s, not by the broker

    assert broker.asked == 3
    assert gauge_lines(metrics) == ['coach_dlq_size{topic="profile-updated.dlq"} 3.0']


async def test_a_service_watches_the_dead_letter_topics_of_the_topics_it_consumes() -> None:
    metrics = ServiceMetrics(new_metrics_registry())
    await metrics.refresh()  # nothing watched yet: nothing to measure, nothing fails
    assert gauge_lines(metrics) == []

    metrics.watch_dead_letters("127.0.0.1:9092", ["t1.profile-updated", "t1.user-erased"])

    assert metrics.dead_letter_sizes is not None
    assert metrics.dead_letter_sizes.topics == ["t1.profile-updated.dlq", "t1.user-erased.dlq"]
