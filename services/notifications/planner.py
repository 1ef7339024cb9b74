"""The planner: queues surveys, activation and coaching emails when each person's time comes.

Each recipient carries ``plan_at``, the next moment something may be due for
them (``plan.py`` computes it); the planner only looks at those whose moment
has come. One replica plans at a time (a lease), and a planned message is
queued under a once-per-person dedupe key, so a crash or a second replica
cannot plan the same email twice.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from services.notifications.catalogue import Catalogue, default_catalogue
from services.notifications.plan import plan_recipient
from services.notifications.recipients import PLAN_FIELDS, from_document
from services.notifications.repository import MESSAGES, RECIPIENTS, queue_message, save_recipient
from services.notifications.settings import NotificationsSettings
from shared.envelope import iso
from shared.lease import Lease
from shared.service import ServiceRuntime
from shared.store import StoreUnavailableError

log = logging.getLogger(__name__)


async def plan_due(runtime: ServiceRuntime, catalogue: Catalogue, *, limit: int = 500) -> int:
    """Plan for the people whose time has come; return how many were looked at."""
    async with runtime.unit_of_work() as uow:
        now = uow.now
        recipients = uow.collection(RECIPIENTS)
        due = await recipients.find({"plan_at": {"$lte": iso(now)}}, sort=[("plan_at", 1)], limit=limit)
        for doc in due:
            plan = plan_recipient(catalogue, from_document(doc, doc["_id"]), now)
            for message in plan.messages:
                await queue_message(
                    uow.collection(MESSAGES),
                    dedupe_key=message.dedupe_key,
                    subject=plan.recipient.subject,
                    campaign=message.campaign.id,
                    now=now,
                    send_after=message.send_after,
                )
            await save_recipient(recipients, plan.recipient, PLAN_FIELDS)
    return len(due)


async def plan_while_held(runtime: ServiceRuntime, catalogue: Catalogue, lease: Lease, *, limit: int = 500) -> int:
    """Plan batch after batch while this replica holds the lease; return how many batches were planned.

    The lease is renewed before each batch: after a long pause (a backlog of people, a slow store) another
    replica may have taken it over, and two planners would each read the same people.
    """
    batches = 0
    while await lease.acquire() and await plan_due(runtime, catalogue, limit=limit) > 0:
        batches += 1
    return batches


async def run_planner(runtime: ServiceRuntime) -> None:
    """Plan every interval while holding the planner lease."""
    settings = runtime.settings
    assert isinstance(settings, NotificationsSettings)
    lease = Lease(runtime.store, "notifications-planner", holder=uuid.uuid4().hex, clock=runtime.clock)
    catalogue = default_catalogue()
    while True:
        try:
            await plan_while_held(runtime, catalogue, lease)
        except StoreUnavailableError as error:
            log.warning("planner paused: %s", type(error).__name__)
        except Exception as error:
            log.exception("planner error: %s", type(error).__name__)
        await asyncio.sleep(settings.planner_interval_s)
