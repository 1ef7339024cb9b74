"""The topic registry: every event class, its topic and its dead-letter topic."""

from __future__ import annotations

from collections.abc import Iterable

from shared.contracts.advice import ActionDue, AdviceReady
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.notifications import MessageSent
from shared.contracts.partners import partner_topic
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.contracts.volunteers import MatchAccepted, MatchCompleted, MatchProposed
from shared.envelope import Event

EVENTS: tuple[type[Event], ...] = (
    ProfileUpdated,
    UserErased,
    DiagnosisReady,
    AdviceReady,
    ActionDue,
    MessageSent,
    MatchProposed,
    MatchAccepted,
    MatchCompleted,
)

EVENT_BY_TOPIC: dict[str, type[Event]] = {event.topic: event for event in EVENTS}

DLQ_SUFFIX = ".dlq"


def dlq_topic(topic: str) -> str:
    """Return the dead-letter topic of a topic."""
    return topic + DLQ_SUFFIX


def all_topics(prefix: str = "", partners: Iterable[str] = ()) -> list[str]:
    """Return every topic the system uses (dead-letter and partner topics included), with a prefix."""
    names = [event.topic for event in EVENTS]
    return (
        [prefix + name for name in names]
        + [prefix + dlq_topic(name) for name in names]
        + [prefix + partner_topic(partner) for partner in partners]
    )
