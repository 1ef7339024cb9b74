"""The one broker factory: a FastStream KafkaBroker with telemetry and metrics middleware."""

from __future__ import annotations

import logging

from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import CollectorRegistry

from shared.settings import ServiceSettings


def create_broker(
    settings: ServiceSettings,
    *,
    registry: CollectorRegistry | None = None,
    tracer_provider: TracerProvider | None = None,
) -> KafkaBroker:
    """Return a broker for the service, not yet connected."""
    middlewares: list[object] = [KafkaTelemetryMiddleware(tracer_provider=tracer_provider)]
    if registry is not None:
        middlewares.append(KafkaPrometheusMiddleware(registry=registry, app_name=settings.service_name))
    return KafkaBroker(
        settings.kafka_bootstrap_servers.split(","),
        client_id=settings.service_name,
        acks="all",
        # The idempotent producer is refused by the local broker (tansu) and not
        # needed: duplicates are absorbed by every consumer's inbox.
        enable_idempotence=False,
        linger_ms=2,
        graceful_timeout=8.0,
        middlewares=middlewares,  # type: ignore[arg-type]
        # Under "faststream", whose start-up and rebalance chatter shows at DEBUG only (shared/telemetry.py).
        logger=logging.getLogger(f"faststream.{settings.service_name}"),
        log_level=logging.DEBUG,
    )
