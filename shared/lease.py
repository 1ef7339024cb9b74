"""A lease in the store: lets exactly one replica run a singleton loop (outbox relay, scheduler)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from shared.envelope import iso, utc_now
from shared.store import DuplicateKeyError, Store

LEASES = "leases"


class Lease:
    """A named lease held by one holder until it expires or is renewed."""

    def __init__(
        self,
        store: Store,
        name: str,
        holder: str,
        *,
        ttl: timedelta = timedelta(seconds=10),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._leases = store.collection(LEASES)
        self.name = name
        self.holder = holder
        self._ttl = ttl
        self._clock = clock

    async def acquire(self) -> bool:
        """Return True when this holder has the lease (taking or renewing it)."""
        now = self._clock()
        until = iso(now + self._ttl)
        if await self._leases.update({"_id": self.name, "holder": self.holder}, set={"expires_at": until}):
            return True
        taken = await self._leases.update(
            {"_id": self.name, "expires_at": {"$lt": iso(now)}},
            set={"holder": self.holder, "expires_at": until},
        )
        if taken:
            return True
        try:
            await self._leases.insert({"_id": self.name, "holder": self.holder, "expires_at": until})
        except DuplicateKeyError:
            return False
        return True

    async def release(self) -> None:
        """Give the lease up so another replica can take it at once."""
        await self._leases.delete({"_id": self.name, "holder": self.holder})
