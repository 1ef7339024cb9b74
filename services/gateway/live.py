"""Live updates: the gateway follows profile-updated, diagnosis-ready and advice-ready and pushes them to the
person's open pages.

Each gateway replica reads every partition (no consumer group, from the
latest offset): whichever replica holds a person's server-sent-events
connection can push to it. Nothing is stored: a page that was closed reads the
current state when it opens again.

An erasure ends the person's open streams: ``user-erased`` becomes ``account-erased``, the last event a
stream sends before it closes (an access token outlives the account by a few minutes; the stream must not).

Every save reaches the open pages: ``profile-updated`` becomes ``profile-saved`` (the new revision and the
project ids, nothing of the profile itself), so a page open in another tab or on another device reads the
new answers. The diagnostic service publishes ``diagnosis-ready`` only when a diagnosis changed; after a
save that leaves it unchanged, the open page is still told once the diagnosis reflects that save
(``settle``): a ``diagnosis-ready`` with ``changed: false``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import orjson
from faststream.kafka import KafkaBroker
from faststream.message import StreamMessage

from shared.contracts.advice import AdviceReady
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.pace import ConsumerPace, Waits
from shared.settings import ServiceSettings

LIVE_EVENTS = (ProfileUpdated.topic, DiagnosisReady.topic, AdviceReady.topic, UserErased.topic)
# The name an open page knows a save by: it carries no part of the profile.
PROFILE_SAVED = "profile-saved"
# The last event of a stream whose person was erased.
ACCOUNT_ERASED = "account-erased"
QUEUE_SIZE = 32


def summary(event_type: str, body: dict[str, Any]) -> dict[str, Any]:
    """Return what a page needs to know: what changed, for which project (it then reads the details)."""
    data = body.get("data", {})
    if event_type == UserErased.topic:
        return {"type": ACCOUNT_ERASED, "occurred_at": body.get("occurred_at")}
    if event_type == ProfileUpdated.topic:
        return {
            "type": PROFILE_SAVED,
            "revision": data.get("revision"),
            "project_ids": [p.get("project_id") for p in data.get("projects") or [] if isinstance(p, dict)],
            "occurred_at": body.get("occurred_at"),
        }
    event = {
        "type": event_type,
        "project_id": data.get("project_id"),
        "main_challenge": data.get("main_challenge"),
        "occurred_at": body.get("occurred_at"),
    }
    if event_type == DiagnosisReady.topic:
        event |= {"revision": data.get("profile_revision"), "changed": True}
    return event


Revisions = Mapping[str, int]  # project id -> the profile revision its diagnosis reflects


async def settle(
    saved: Mapping[str, Any],
    read_revisions: Callable[[], Awaitable[Revisions]],
    *,
    timeout_s: float = 15.0,
    interval_s: float = 0.3,
) -> bool:
    """Wait until every project of a save has a diagnosis of that revision (or later); return False on time-out.

    The diagnostic service records a diagnosis for every project of every revision, changed or not,
    but announces only the changes: reading the revisions it recorded tells that an unchanged one is there.
    """
    revision = int(saved.get("revision") or 0)
    wanted = [str(p) for p in saved.get("project_ids") or []]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        try:
            revisions = await read_revisions()
        except Exception:  # a service that does not answer now may answer at the next look
            revisions = {}
        if all(revisions.get(project, -1) >= revision for project in wanted):
            return True
        if loop.time() + interval_s > deadline:
            return False
        await asyncio.sleep(interval_s)


def settled_event(saved: Mapping[str, Any], *, reached: bool) -> dict[str, Any]:
    """Return the event telling an open page that a save's diagnosis is there, though nothing in it changed."""
    return {
        "type": DiagnosisReady.topic,
        "project_id": None,
        "main_challenge": None,
        "revision": saved.get("revision"),
        "changed": False,
        "settled": reached,
        "occurred_at": saved.get("occurred_at"),
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
            # A page that stopped reading loses old events, never blocks the others (the end of a stream
            # is always delivered: it is the newest event).
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


async def _raw_record(message: StreamMessage[Any]) -> Any:
    """Return the message's record as it came: the handler reads the little it needs from the JSON itself.

    FastStream's own decoder would decode the whole value first (a diagnosis or a plan, for a summary).
    """
    return message.raw_message


def follow(broker: KafkaBroker, hub: LiveHub, settings: ServiceSettings) -> ConsumerPace:
    """Subscribe the broker to the live topics (call before the broker starts); return the subscriber's pace.

    The pace's ``run`` is the caller's to start once the broker is: an idle gateway fetches at the idle pace.
    """
    topics = {settings.topic(name): name for name in LIVE_EVENTS}
    subscriber = broker.subscriber(
        *topics,
        auto_offset_reset="latest",
        fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
        include_in_schema=False,
        decoder=_raw_record,
    )
    # One message at a time (getone, no batch loop): only the fetch wait changes with the pace.
    pace = ConsumerPace(
        subscriber,
        busy=Waits(settings.kafka_fetch_max_wait_ms),
        idle=Waits(settings.kafka_idle_fetch_max_wait_ms),
        idle_after_s=settings.kafka_idle_after_s,
    )

    # One parameter, the record as it came (see _raw_record): a ``KafkaMessage`` parameter is a FastStream
    # context field, which FastDepends resolves in a worker thread, a thread hop per message.
    async def on_live_event(record: Any) -> None:
        pace.event_seen()
        try:
            parsed = orjson.loads(record.value)
            subject = str(parsed["subject"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return  # a live view never blocks on a bad message; the services' DLQs hold it
        hub.push(subject, summary(topics[record.topic], parsed))

    subscriber(on_live_event)
    return pace
