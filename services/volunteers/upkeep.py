"""The volunteers service's background rounds: time-outs, expiry, end of pauses, document deletion, matching.

One replica at a time holds the upkeep lease. Every decision is a pure function
of the documents and ``runtime.clock()`` (see ``lifecycle`` and ``pledges``),
so tests drive a round with a fixed clock. A round runs every
``upkeep_interval_s`` and as soon as a request opens or a pledge becomes active.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from services.volunteers import lifecycle, pledges
from services.volunteers.lifecycle import MatchStatus
from services.volunteers.matching_round import matching_round
from services.volunteers.repository import MATCHES, PLEDGES, delete_documents
from services.volunteers.settings import VolunteersSettings
from services.volunteers.state import VolunteersRuntime
from services.volunteers.transitions import apply_transition
from shared.contracts.api.volunteers import PledgeStatus
from shared.envelope import iso
from shared.lease import Lease
from shared.problems import ConflictError
from shared.service import ServiceRuntime
from shared.store import StoreUnavailableError

log = logging.getLogger(__name__)
# Which deadline field each live status waits on.
DEADLINES = {
    MatchStatus.PROPOSED: "respond_by",
    MatchStatus.ACCEPTED: "work_due_by",
    MatchStatus.IN_PROGRESS: "finish_by",
}


@dataclass(frozen=True)
class UpkeepReport:
    timed_out: int
    pauses_ended: int
    documents_deleted: int
    proposed: int


def wake_up(runtime: VolunteersRuntime) -> None:
    """Ask for a round now (a request opened, a pledge became active, a match ended)."""
    runtime.state.wakeup.set()


async def time_out_matches(runtime: ServiceRuntime, *, timing: lifecycle.Timing, limit: int = 500) -> int:
    """Move the matches whose deadline passed (no answer, stale, unconfirmed); return how many."""
    now = runtime.clock()
    moved = 0
    for status, field in DEADLINES.items():
        due = await runtime.store.collection(MATCHES).find(
            {"status": status.value, field: {"$lte": iso(now)}}, sort=[(field, 1)], limit=limit
        )
        for match in due:
            try:
                async with runtime.unit_of_work() as uow:
                    await apply_transition(uow, match, lifecycle.time_out(match, now=uow.now, timing=timing))
                moved += 1
            except ConflictError:
                continue  # changed meanwhile (answered just in time): nothing to do
    return moved


async def end_pauses(runtime: ServiceRuntime) -> int:
    """Resume the pledges whose pause reached its end day; return how many."""
    now = runtime.clock()
    ended = 0
    async with runtime.unit_of_work() as uow:
        collection = uow.collection(PLEDGES)
        for pledge in await collection.find({"status": PledgeStatus.PAUSED.value, "paused_until": {"$ne": None}}):
            if pledges.pause_is_over(pledge, today=now.date()):
                await collection.update({"_id": pledge["_id"]}, set=pledges.resumed(pledge, now=uow.now))
                ended += 1
    return ended


async def delete_old_documents(runtime: ServiceRuntime) -> int:
    """Delete the documents kept past their time after the help was completed; return how many."""
    async with runtime.unit_of_work() as uow:
        return await delete_documents(uow, {"delete_after": {"$lte": iso(uow.now)}})


async def upkeep_round(runtime: VolunteersRuntime, lease: Lease | None = None) -> UpkeepReport:
    """Run one round of every background duty; with a lease, renew it before each duty and stop if it is lost.

    A duty can take seconds over a large store (matching 100,000 requests takes about 3 s): renewing
    between duties keeps a slow round from outliving the lease while another replica starts one.
    """
    settings = runtime.settings
    assert isinstance(settings, VolunteersSettings)
    reference = runtime.state.loaded_reference()
    done = [0, 0, 0, 0]
    duties: tuple[Callable[[], Awaitable[int]], ...] = (
        lambda: time_out_matches(runtime, timing=settings.timing),
        lambda: end_pauses(runtime),
        lambda: delete_old_documents(runtime),
        lambda: matching_round(runtime, reference=reference, timing=settings.timing),
    )
    for index, duty in enumerate(duties):
        if lease is not None and not await lease.acquire():
            break
        done[index] = await duty()
    return UpkeepReport(*done)


async def run_upkeep(runtime: VolunteersRuntime) -> None:
    """Run rounds until cancelled, while holding the upkeep lease."""
    settings = runtime.settings
    assert isinstance(settings, VolunteersSettings)
    wakeup = runtime.state.wakeup
    # Longer than any one duty takes (the lease is renewed before each), and than the pause between rounds.
    ttl = timedelta(seconds=max(60.0, 3 * settings.upkeep_interval_s))
    lease = Lease(runtime.store, "volunteers-upkeep", holder=uuid.uuid4().hex, ttl=ttl, clock=runtime.clock)
    while True:
        try:
            report = await upkeep_round(runtime, lease)
            if report.proposed or report.timed_out:
                log.info("upkeep: %s", report)
        except StoreUnavailableError as error:
            log.warning("upkeep paused: %s", type(error).__name__)
        # asyncio.timeout, not wait_for: Python 3.11's wait_for can hold on to a cancellation at shutdown.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(settings.upkeep_interval_s):
                await wakeup.wait()
        wakeup.clear()
