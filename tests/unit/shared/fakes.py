"""Fakes for unit tests of the delivery machinery: a broker that records what it is asked to publish."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from aiokafka import ConsumerRecord

from shared.envelope import Event


@dataclass
class Published:
    value: bytes
    topic: str
    key: bytes | None
    headers: dict[str, str]


@dataclass
class RecordingBroker:
    """Stands in for the FastStream KafkaBroker: records publications, can be told to fail."""

    published: list[Published] = field(default_factory=list)
    fail: bool = False

    async def publish(
        self,
        value: bytes,
        *,
        topic: str,
        key: bytes | None = None,
        headers: dict[str, str] | None = None,
        no_confirm: bool = False,
    ) -> Any:
        if self.fail:
            raise ConnectionError("broker down")
        self.published.append(Published(value, topic, key, dict(headers or {})))
        if no_confirm:
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            done.set_result(None)
            return done
        return None


def record(topic: str, value: bytes | Event, offset: int = 0, key: bytes = b"k") -> ConsumerRecord[bytes, bytes]:
    """Return a consumer record as aiokafka delivers it."""
    body = value.model_dump_json().encode() if isinstance(value, Event) else value
    return ConsumerRecord(
        topic=topic,
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=key,
        value=body,
        checksum=None,
        serialized_key_size=len(key),
        serialized_value_size=len(body),
        headers=[],
    )
