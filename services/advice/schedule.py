"""The action scheduler: publishes ``action-due`` exactly once per due action.

The schedule is durable in the advice store: one compact entry per action
still to announce, indexed by when it falls due (``due_at``). Each scan reads a
bounded batch through that index, so its cost does not grow with the number of
scheduled actions. In one unit of work, an entry is deleted, its action marked
emitted and its event staged in the outbox: a crash, a restart or a second
replica can neither lose nor repeat an emission. One replica at a time holds
the scheduler lease, so replicas do not compete for the same rows; the
transactional delete keeps emissions single even if two ever run.

After downtime the scheduler catches up, but a person gets at most their
daily cap of reminders a day (their pace plus two); the rest move to the next
day, in order.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from services.advice.plan import due_at, local_today
from services.advice.repository import ACTIONS, REMINDERS, SCHEDULE
from shared.contracts.advice import ActionDue, ActionDueData
from shared.envelope import iso
from shared.lease import Lease
from shared.service import ServiceRuntime
from shared.store import StoreUnavailableError

log = logging.getLogger(__name__)
LEASE_NAME = "action-scheduler"


@dataclass(frozen=True)
class Scan:
    """What one scan did."""

    read: int
    emitted: int
    deferred: int


@dataclass
class _Today:
    day: date
    count: int


async def emit_due_actions(runtime: ServiceRuntime, *, limit: int = 500) -> Scan:
    """Return what one scan did: the actions due now and not yet announced, announced (a bounded batch)."""
    now = runtime.clock()
    emitted = deferred = 0
    async with runtime.unit_of_work() as uow:
        schedule = uow.collection(SCHEDULE)
        entries = await schedule.find({"due_at": {"$lte": iso(now)}}, sort=[("due_at", 1)], limit=limit)
        if not entries:
            return Scan(0, 0, 0)
        reminders = uow.collection(REMINDERS)
        actions = uow.collection(ACTIONS)
        sent: dict[str, _Today] = {}
        for entry in entries:
            subject = entry["subject"]
            today = local_today(now, entry["time_zone"])
            state = sent.get(subject)
            if state is None:
                doc = await reminders.get(subject)
                known = doc is not None and doc["day"] == today.isoformat()
                state = sent[subject] = _Today(today, doc["count"] if doc is not None and known else 0)
            if state.count >= entry["cap"]:
                tomorrow = due_at(today + timedelta(days=1), entry["time_zone"])
                await schedule.update({"_id": entry["_id"]}, set={"due_at": iso(tomorrow)})
                deferred += 1
                continue
            if await schedule.delete({"_id": entry["_id"], "due_at": entry["due_at"]}) != 1:
                continue  # taken by another scan: never announce twice
            await actions.update({"_id": entry["_id"]}, set={"emitted_on": entry["due_on"]})
            state.count += 1
            emitted += 1
            uow.publish(
                ActionDue(
                    subject=subject,
                    data=ActionDueData(
                        action_id=entry["_id"],
                        template_id=entry["template_id"],
                        advice_id=entry["advice_id"],
                        project_id=entry["project_id"],
                        due_on=date.fromisoformat(entry["due_on"]),
                        title=entry["title"],
                        duration_minutes=entry["minutes"],
                        needs_help=entry["needs_help"],
                        rome_code=entry["rome_code"],
                        city_insee=entry["city_insee"],
                    ),
                ),
                trace=entry.get("trace"),
            )
        for subject, state in sent.items():
            await reminders.put({"_id": subject, "day": state.day.isoformat(), "count": state.count})
    return Scan(len(entries), emitted, deferred)


async def run_scheduler(runtime: ServiceRuntime) -> None:
    """Return never: scan for due actions every interval while holding the lease, in bounded batches."""
    interval = float(getattr(runtime.settings, "scheduler_interval_s", 1.0))
    batch = int(getattr(runtime.settings, "scheduler_batch", 500))
    ttl = timedelta(seconds=float(getattr(runtime.settings, "scheduler_lease_s", 10.0)))
    lease = Lease(runtime.store, LEASE_NAME, holder=uuid.uuid4().hex, ttl=ttl, clock=runtime.clock)
    while True:
        try:
            # The lease is renewed before each batch, so a long catch-up never outlives it.
            while await lease.acquire():
                if (await emit_due_actions(runtime, limit=batch)).read < batch:
                    break
        except asyncio.CancelledError:
            raise
        except StoreUnavailableError as error:
            log.warning("scheduler paused: %s", error)
        except Exception:
            log.exception("scheduler scan failed; retrying at the next interval")
        await asyncio.sleep(interval)
