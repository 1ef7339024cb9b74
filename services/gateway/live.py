"""Live updates: the gateway follows diagnosis-ready and advice-ready and pushes them to the person's open pages.

Each gateway replica reads every partition (no consumer group, from the
latest offset): whichever replica holds a person's server-sent-events
connection can push to it. Nothing is stored: a page that was closed reads the
current state when it opens again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from typing import Any

import orjson
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from shared.contracts.advice import AdviceReady
from shared.contracts.diagnostic import DiagnosisReady
from shared.settings import ServiceSettings

LIVE_EVENTS = (DiagnosisReady.topic, AdviceReady.topic)
QUEUE_SIZE = 32


def summary(event_type: str, body: dict[str, Any]) -> dict[str, Any]:
    """Return what a page needs to know: what changed, for which project (it then reads the details)."""
    data = body.get("data", {})
    return {
        "type": event_type,
        "project_id": data.get("project_id"),
        "main_challenge": data.get("main_challenge"),
        "occurred_at": body.get("occurred_at"),
    }


class LiveHub:
    """Open live connections by person, fed from the broker."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def open(self, subject: str) -> asyncio.Queue[dict[str, Any]]:
        """Return a new queue receiving the person's live events."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        self._queues[subject].add(queue)
        return queue

    def close(self, subject: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        """Forget a closed connection."""
        queues = self._queues.get(subject)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._queues[subject]

    def push(self, subject: str, event: dict[str, Any]) -> int:
        """Send an event to every open page of the person; return how many pages got it."""
        delivered = 0
        for queue in self._queues.get(subject, ()):
            # A page that stopped reading loses old events, never blocks the others.
            if queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(event)
            delivered += 1
        return delivered

    @property
    def connections(self) -> int:
        # Read by the metrics server's thread: a copy, so that a page opening meanwhile cannot break the sum.
        return sum(len(q) for q in list(self._queues.values()))


def follow(broker: KafkaBroker, hub: LiveHub, settings: ServiceSettings) -> None:
    """Subscribe the broker to the live topics (call before the broker starts)."""
    topics = {settings.topic(name): name for name in LIVE_EVENTS}

    @broker.subscriber(
        *topics,
        auto_offset_reset="latest",
        fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
        include_in_schema=False,
    )
    async def on_live_event(body: Any, message: KafkaMessage) -> None:
        try:
            parsed = orjson.loads(body) if isinstance(body, (bytes, str)) else body
            subject = str(parsed["subject"])
        except (ValueError, KeyError, TypeError):
            return  # a live view never blocks on a bad message; the services' DLQs hold it
        record = message.raw_message
        topic = record[0].topic if isinstance(record, tuple) else record.topic
        hub.push(subject, summary(topics[topic], parsed))
