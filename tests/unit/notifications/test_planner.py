"""The planner loop on a store: it queues what the pure plan says, once, when each person's time comes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from services.notifications.catalogue import default_catalogue
from services.notifications.handlers import on_diagnosis_ready, on_profile_updated
from services.notifications.planner import plan_due, plan_while_held
from services.notifications.repository import MESSAGES, RECIPIENTS
from shared.contracts.vocabulary import CoachingEmailFrequency
from shared.lease import Lease
from tests.unit.notifications.support import (
    REGISTERED,
    SUBJECT,
    Clock,
    build_runtime,
    diagnosis_ready,
    profile_updated,
)


async def test_the_planner_queues_each_campaign_once_when_its_day_comes() -> None:
    clock = Clock(datetime.combine(REGISTERED, time(9), tzinfo=UTC))
    runtime = await build_runtime(clock)
    async with runtime.unit_of_work() as uow:
        await on_profile_updated(profile_updated(frequency=CoachingEmailFrequency.EMAIL_MAXIMUM), uow)
        await on_diagnosis_ready(diagnosis_ready(), uow)
    catalogue = default_catalogue()
    assert await plan_due(runtime, catalogue) == 0  # nothing due on the day of sign-up
    queued: list[str] = []
    for _ in range(24 * 20):  # every hour for 20 days, as the loop would (it runs every minute)
        clock.advance(hours=1)
        await plan_due(runtime, catalogue)
        await plan_due(runtime, catalogue)  # a second replica or a restart right after: no second plan
    for message in await runtime.store.collection(MESSAGES).find(sort=[("created_at", 1)]):
        queued.append(message["campaign"])
    assert queued[0] == "welcome"
    assert "first-followup-survey" in queued and len(queued) == len(set(queued))
    coaching = [c for c in queued if c in {k.id for k in catalogue.coaching()}]
    assert 2 <= len(coaching) <= 4  # day 3, then about every 6 days
    stored = await runtime.store.collection(RECIPIENTS).get(SUBJECT)
    assert stored is not None and stored["plan_at"] > (clock() - timedelta(minutes=1)).isoformat()


async def test_a_long_planning_pass_stops_when_another_replica_took_the_expired_lease() -> None:
    clock = Clock(datetime.combine(REGISTERED, time(9), tzinfo=UTC))
    runtime = await build_runtime(clock)
    async with runtime.unit_of_work() as uow:
        for index in range(3):
            await on_profile_updated(
                profile_updated(f"u_planned{index}", frequency=CoachingEmailFrequency.EMAIL_MAXIMUM), uow
            )
            await on_diagnosis_ready(diagnosis_ready(f"u_planned{index}"), uow)
    clock.advance(days=4)  # past the first planned day (day 3 at noon)
    first = Lease(runtime.store, "notifications-planner", holder="first", clock=clock)
    second = Lease(runtime.store, "notifications-planner", holder="second", clock=clock)
    assert await first.acquire()

    class SlowLease(Lease):
        async def acquire(self) -> bool:
            held = await super().acquire()
            clock.advance(seconds=11)  # each batch outlasts the 10 s lease...
            assert await second.acquire()  # ...and the other replica takes it over
            return held

    slow = SlowLease(runtime.store, "notifications-planner", holder="first", clock=clock)
    assert await plan_while_held(runtime, default_catalogue(), slow, limit=1) == 1  # then it saw the lease gone
    assert await plan_while_held(runtime, default_catalogue(), second, limit=1) == 2
