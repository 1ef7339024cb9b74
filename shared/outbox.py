"""The transactional outbox: events are written with the state change, then relayed to Kafka.

A service never publishes directly. Its unit of work stages events in the
``outbox`` collection inside the same transaction as the state change; the relay
publishes them in order and deletes them. A crash after the commit and before
the publication only delays the events; a crash after the publication and
before the deletion publishes them again, and consumers' inboxes absorb the
duplicate. Once a ``user-erased`` event is deleted, the relay scrubs the store's
files (``Store.scrub_deleted``): the event names the erased person.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from faststream.kafka import KafkaBroker
from opentelemetry import context as otel_context

from shared.contracts.profile import UserErased
from shared.envelope import Event, iso, utc_now
from shared.lease import Lease
from shared.store import Index, Store, StoreUnavailableError, Transaction
from shared.telemetry import extract_context, inject_context

OUTBOX = "outbox"
OUTBOX_INDEXES = (Index(OUTBOX, ("seq",)),)

log = logging.getLogger(__name__)


class Outbox:
    """Stages events in a transaction and wakes the relay after the commit."""

    def __init__(self, topic_prefix: str = "") -> None:
        self._prefix = topic_prefix
        self._last_seq = 0
        self.wakeup = asyncio.Event()

    def _next_seq(self) -> int:
        # Monotonic within the process, roughly time-ordered across processes.
        self._last_seq = max(self._last_seq + 1, time.time_ns())
        return self._last_seq

    async def stage(
        self, tx: Transaction, events: Sequence[Event], traces: Mapping[str, Mapping[str, str]] | None = None
    ) -> None:
        """Write the events to the outbox as part of the transaction (each with its trace context)."""
        if not events:
            return
        current = inject_context()
        traces = traces or {}
        now = iso(utc_now())
        await tx.collection(OUTBOX).insert_many(
            [
                {
                    "_id": str(event.event_id),
                    "seq": self._next_seq(),
                    "topic": self._prefix + event.destination(),
                    "key": event.subject,
                    "value": event.model_dump_json(),
                    "headers": dict(traces.get(str(event.event_id), current)),
                    "created_at": now,
                }
                for event in events
            ]
        )

    def committed(self) -> None:
        """Tell the relay new events are waiting."""
        self.wakeup.set()


class OutboxRelay:
    """Publishes staged events in order, then deletes them."""

    def __init__(
        self,
        store: Store,
        broker: KafkaBroker,
        outbox: Outbox,
        *,
        service_name: str,
        batch_size: int = 500,
        poll_interval_s: float = 1.0,
        holder: str | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._broker = broker
        self._outbox = outbox
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._lease = Lease(store, f"outbox-relay:{service_name}", holder=holder or uuid.uuid4().hex, clock=clock)
        self.published = 0
        self.last_error: str | None = None
        # One drain at a time: the shutdown drain waits for the one in flight instead of cutting it
        # between publication and deletion (which would publish its events again after a restart).
        self._draining = asyncio.Lock()
        # Rows published whose deletion failed (a locked store): deleted, not published again, next time.
        self._published: set[str] = set()

    async def backlog(self) -> int:
        """Return how many events wait to be published."""
        return await self._store.collection(OUTBOX).count()

    async def drain(self) -> int:
        """Publish what is staged while this replica holds the relay lease; return how many were published."""
        total = 0
        rows = self._store.collection(OUTBOX)
        # The lease is renewed before each batch, not once per drain: under a steady flow a drain can
        # outlast the lease, and another replica taking it over would publish the same rows again.
        while await self._lease.acquire() and (batch := await rows.find(sort=[("seq", 1)], limit=self._batch_size)):
            futures = []
            for row in (row for row in batch if row["_id"] not in self._published):
                token = otel_context.attach(extract_context(row.get("headers") or {}))
                try:
                    futures.append(
                        await self._broker.publish(
                            row["value"].encode(),
                            topic=row["topic"],
                            key=row["key"].encode(),
                            headers={"content-type": "application/json"},
                            no_confirm=True,
                        )
                    )
                finally:
                    otel_context.detach(token)
            await asyncio.gather(*futures)
            ids = [row["_id"] for row in batch]
            fresh = len(futures)
            self._published.update(ids)
            await rows.delete({"_id": {"$in": ids}})
            self._published.difference_update(ids)
            if any(row["topic"].endswith(UserErased.topic) for row in batch):
                # A user-erased event names the person it erased: once it left, scrub it from the files.
                await self._store.scrub_deleted()
            total += fresh
            self.published += fresh
        return total

    async def release(self) -> None:
        """Give the relay lease up (a one-off relay, such as a command's, when it is done)."""
        await self._lease.release()

    async def drain_before_stop(self, timeout_s: float = 5.0) -> None:
        """Publish what is staged, if this replica holds the relay lease (at shutdown; never raises)."""
        try:
            async with asyncio.timeout(timeout_s), self._draining:
                await self.drain()
        except Exception as error:  # the next start publishes what is left
            log.warning("outbox not drained at shutdown: %s", type(error).__name__)

    async def run(self) -> None:
        """Relay until cancelled: on each commit, and every poll interval to recover from crashes."""
        backoff = self._poll_interval_s
        while True:
            # asyncio.timeout, not wait_for: Python 3.11's wait_for can hold on to a cancellation.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(backoff):
                    await self._outbox.wakeup.wait()
            self._outbox.wakeup.clear()
            try:
                async with self._draining:
                    await self.drain()
                self.last_error = None
                backoff = self._poll_interval_s
            except asyncio.CancelledError:
                raise
            except (StoreUnavailableError, Exception) as error:
                self.last_error = type(error).__name__
                log.warning("outbox relay failed, will retry: %s", type(error).__name__)
                backoff = min(backoff * 2, 10.0)
