"""The action scheduler: publishes ``action-due`` exactly once per due action.

The schedule lives in the advice store (the ``actions`` collection). One
replica at a time holds the scheduler lease; marking an action emitted and
staging its event happen in one unit of work, so a crash or a second replica
can neither lose nor repeat an emission.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from services.advice.repository import ACTIONS
from shared.contracts.advice import ActionDue, ActionDueData
from shared.lease import Lease
from shared.service import ServiceRuntime
from shared.store import StoreUnavailableError

log = logging.getLogger(__name__)


async def emit_due_actions(runtime: ServiceRuntime, *, limit: int = 1000) -> int:
    """Publish the actions due today or earlier that were not emitted yet; return how many."""
    today = runtime.clock().date().isoformat()
    emitted = 0
    async with runtime.unit_of_work() as uow:
        actions = uow.collection(ACTIONS)
        due = await actions.find({"emitted": False, "due_on": {"$lte": today}}, limit=limit)
        for action in due:
            await actions.update({"_id": action["_id"]}, set={"emitted": True})
            uow.publish(ActionDue(
                subject=action["subject"],
                data=ActionDueData(
                    action_id=action["_id"], template_id=action["template_id"], advice_id=action["advice_id"],
                    project_id=action["project_id"], due_on=action["due_on"], title=action["title"],
                    duration_minutes=action["duration_minutes"], needs_help=action["needs_help"],
                ),
            ))
            emitted += 1
    return emitted


async def run_scheduler(runtime: ServiceRuntime, *, interval_s: float = 1.0) -> None:
    """Scan for due actions every interval while holding the scheduler lease."""
    lease = Lease(runtime.store, "action-scheduler", holder=uuid.uuid4().hex, clock=runtime.clock)
    while True:
        try:
            if await lease.acquire():
                while await emit_due_actions(runtime) > 0:
                    pass
        except StoreUnavailableError as error:
            log.warning("scheduler paused: %s", error)
        await asyncio.sleep(interval_s)
