"""The unit of work: one transaction in the service's store plus the events it publishes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import datetime

from shared.envelope import Event, utc_now
from shared.outbox import Outbox
from shared.store import Collection, Store, Transaction


class UnitOfWork:
    """Collections bound to one transaction, the events to publish if it commits, and its time."""

    def __init__(self, tx: Transaction, now: datetime) -> None:
        self._tx = tx
        self.now = now
        self.events: list[Event] = []
        self.traces: dict[str, Mapping[str, str]] = {}

    def collection(self, name: str) -> Collection:
        """Return a collection whose writes commit with this unit of work."""
        return self._tx.collection(name)

    def publish(self, *events: Event, trace: Mapping[str, str] | None = None) -> None:
        """Publish the events if and only if the unit of work commits.

        ``trace`` is the W3C context the events continue (e.g. the request that planned an action
        emitted days later); by default, the current span's.
        """
        self.events.extend(events)
        if trace:
            for event in events:
                self.traces[str(event.event_id)] = trace


@asynccontextmanager
async def unit_of_work(
    store: Store, outbox: Outbox, clock: Callable[[], datetime] = utc_now
) -> AsyncIterator[UnitOfWork]:
    """Open a unit of work; its writes and events commit together at exit."""
    async with store.transaction() as tx:
        uow = UnitOfWork(tx, clock())
        yield uow
        await outbox.stage(tx, uow.events, uow.traces)
    outbox.committed()
