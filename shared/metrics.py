"""The Prometheus metrics every service exposes on ``/metrics``."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


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
        self.store_up = Gauge("coach_store_up", "1 when the store answers and can write.", registry=registry)
        self.emails_sent = Counter(
            "coach_emails_sent_total",
            "Emails handed to the SMTP server, by campaign and status.",
            ["campaign", "status"],
            registry=registry,
        )
