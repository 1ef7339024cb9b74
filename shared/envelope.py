"""The event envelope every message on Kafka carries.

Events are immutable facts named in the past tense. The envelope says what
happened, when, who produced it and about which pseudonymous subject; the
``data`` field of each concrete event carries the facts. Consumers ignore
unknown fields so that producers may add fields within a major version.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

SUBJECT_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"


def utc_now() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Return a UTC instant as fixed-width ISO 8601 text, so that text order is time order in every store."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; use timezone-aware UTC datetimes")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class Contract(BaseModel):
    """Base of every payload model: tolerant reader, immutable value."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Event(Contract):
    """Envelope fields shared by every event."""

    topic: ClassVar[str] = ""

    event_id: UUID = Field(
        default_factory=uuid4,
        description="Unique id of this event; consumers use it to apply an event only once.",
        examples=["3f1c2a4e-8d7b-4c1e-9a55-0b6f2f1d9e21"],
    )
    event_type: str = Field(
        description='The event name, equal to its topic name (for partner events, always "partner-event").',
        examples=["profile-updated"],
    )
    schema_version: int = Field(
        1,
        description="Major version of the event schema. Changes within a major version are additive.",
        examples=[1],
    )
    occurred_at: datetime = Field(
        default_factory=utc_now,
        description="When the fact happened (UTC, ISO 8601).",
        examples=["2026-11-22T09:30:00Z"],
    )
    producer: str = Field(
        description="Name of the service that published the event (profile, diagnostic, advice, ...).",
        examples=["profile"],
    )
    subject: str = Field(
        pattern=SUBJECT_PATTERN,
        description=(
            "Pseudonymous id of the person the event is about (a random id, never an email or a name). "
            "It is also the Kafka message key, so all events of one person are ordered."
        ),
        examples=["u_9b2f4c1d7e8a4f3b"],
    )

    def key(self) -> bytes:
        """Return the Kafka message key: the pseudonymous subject."""
        return self.subject.encode()

    def destination(self) -> str:
        """Return the topic (without prefix) this event is published to."""
        return self.topic
