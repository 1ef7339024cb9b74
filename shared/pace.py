"""A consumer's polling pace: short waits while events flow, long ones when none came for a while.

An idle consumer still polls. aiokafka sends a fetch every ``fetch_max_wait_ms`` (the broker holds
it that long when there is nothing to read) and FastStream's batch loop asks for records every
``batch_timeout_ms`` and then sleeps as long when there were none. With the short waits a busy
system needs for low latency (50 ms), the seven idle services and the broker answering their fetches
used most of the local system's idle CPU (tests/perf/bench_idle.py). Switching to long waits after a
quiet spell costs the first event after it a bounded delay (about the long waits, once per hop); the
batch it starts switches the consumer back to the short waits.

Only the waits change: what is read, applied and committed, and when, is the same at either pace.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Waits:
    """The two waits a consumer polls with, in milliseconds."""

    fetch_max_wait_ms: int
    batch_timeout_ms: int | None = None  # None: not a batch subscriber


class ConsumerPace:
    """Keeps one subscriber's waits short while events flow and long when it has been idle."""

    def __init__(
        self,
        subscriber: Any,
        *,
        busy: Waits,
        idle: Waits,
        idle_after_s: float,
        clock: Callable[[], float] = time.monotonic,
        observe: Callable[[bool], None] = lambda idle: None,
    ) -> None:
        self._subscriber = subscriber
        self.busy = busy
        self.idle = idle
        self._idle_after_s = idle_after_s
        self._clock = clock
        self._observe = observe
        self._last_event = clock()
        self.current = busy

    def event_seen(self) -> None:
        """Note that events arrived: poll at the busy pace from the next fetch on."""
        self._last_event = self._clock()
        if self.current is not self.busy:
            self._apply(self.busy)

    def check(self) -> None:
        """Choose the pace from the time since the last event, and (re)apply it."""
        quiet = self._clock() - self._last_event >= self._idle_after_s
        # Applied on every check, not only on a change: a consumer restarted after a broker outage is
        # a new aiokafka consumer, built with the configured (busy) wait.
        self._apply(self.idle if quiet else self.busy)

    async def run(self) -> None:
        """Check the pace until cancelled (a few times per idle period: cheap, and prompt enough)."""
        while True:
            await asyncio.sleep(max(self._idle_after_s / 4, 0.1))
            self.check()

    def _apply(self, waits: Waits) -> None:
        if waits is not self.current:
            self._observe(waits is self.idle)
        self.current = waits
        # FastStream reads this before each batch; aiokafka's fetcher reads its wait when it builds each
        # fetch request. Neither has a public setter: when a version renames them, the consumer keeps its
        # configured waits (correct, only busier), and the idle benchmark shows it.
        if waits.batch_timeout_ms is not None and hasattr(self._subscriber, "batch_timeout_ms"):
            self._subscriber.batch_timeout_ms = waits.batch_timeout_ms
        fetcher = getattr(getattr(self._subscriber, "consumer", None), "_fetcher", None)
        if fetcher is not None and hasattr(fetcher, "_fetch_max_wait_ms"):
            fetcher._fetch_max_wait_ms = waits.fetch_max_wait_ms
