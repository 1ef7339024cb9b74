"""The scheduler: action-due exactly once per due action, bounded catch-up, restarts and two replicas."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from services.advice import repository as repo
from services.advice.schedule import emit_due_actions, run_scheduler
from shared.contracts.diagnostic import DiagnosisReady
from shared.service import ServiceRuntime
from tests.unit.advice.personas import SUBJECT, TODAY, diagnosis
from tests.unit.advice.support import Clock, apply, make_runtime, published

MORNING = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
BUSY: dict[str, Any] = {
    "profile": {"frustrations": ["NO_OFFER_ANSWERS", "INTERVIEW", "MOTIVATION"]},
    "project": {"network_estimate": 1, "total_interview_count": 0},
}


def subject(n: int) -> str:
    return f"u_person_{n:06d}"


async def plan_people(runtime: ServiceRuntime, people: int, **preferences: Any) -> int:
    """Plan several people; return how many actions are scheduled in all."""
    for n in range(people):
        data = diagnosis(**BUSY, preferences=preferences or None)
        await apply(runtime, DiagnosisReady(subject=subject(n), data=data))
    return await runtime.store.collection(repo.SCHEDULE).count()


async def emitted(runtime: ServiceRuntime) -> Counter[str]:
    return Counter(e["data"]["action_id"] for e in await published(runtime, "action-due"))


async def drain(runtime: ServiceRuntime) -> None:
    while (await emit_due_actions(runtime, limit=50)).read == 50:
        pass


async def test_due_actions_are_announced_once_with_what_volunteers_need(tmp_path: Path) -> None:
    clock = Clock(MORNING)
    runtime = await make_runtime(tmp_path / "advice.sqlite3", clock)
    # A search that starts with a CV the person finds hard: the principal strategy (prepare-your-tools) plans a
    # CV review by a volunteer first. (Before issue 18 the persona's placeholder "bravo" had interview-success
    # as principal, its top score; bravo's principal is now keep-momentum, which serves it first and whose
    # first actions need no volunteer.)
    busy = {**BUSY, "profile": {"frustrations": [*BUSY["profile"]["frustrations"], "RESUME"]}}
    data = diagnosis(**busy, main_challenge="start-your-search", needs_attention=["start-your-search"])
    await apply(runtime, DiagnosisReady(subject=SUBJECT, data=data))
    first = await emit_due_actions(runtime)
    assert first.emitted == await repo_count_due(runtime, TODAY.isoformat())
    assert (await emit_due_actions(runtime)).emitted == 0
    events = await published(runtime, "action-due")
    assert all(e["data"]["due_on"] == TODAY.isoformat() for e in events)
    helped = [e["data"] for e in events if e["data"]["needs_help"]]
    assert helped and helped[0]["rome_code"] == "K2204" and helped[0]["city_insee"] == "69123"
    actions = {a.action_id: a for a in await repo.load_actions(runtime.store, SUBJECT)}
    assert all(actions[e["data"]["action_id"]].emitted_on == TODAY for e in events)


async def repo_count_due(runtime: ServiceRuntime, day: str) -> int:
    return sum(1 for a in await repo.load_actions(runtime.store, SUBJECT) if a.due_on and a.due_on.isoformat() == day)


async def test_every_planned_action_is_announced_once_day_after_day(tmp_path: Path) -> None:
    clock = Clock(MORNING)
    runtime = await make_runtime(tmp_path / "advice.sqlite3", clock)
    planned = await plan_people(runtime, 3)
    for _ in range(40):
        await drain(runtime)
        clock.advance(days=1)
    counts = await emitted(runtime)
    assert len(counts) == planned and set(counts.values()) == {1}


async def test_catching_up_after_downtime_never_floods_a_person(tmp_path: Path) -> None:
    clock = Clock(MORNING)
    runtime = await make_runtime(tmp_path / "advice.sqlite3", clock)
    planned = await plan_people(runtime, 2)  # 2 a day each, cap 4 a day
    clock.advance(days=9)  # the service was down for more than a week
    await drain(runtime)
    first_day = Counter(e["subject"] for e in await published(runtime, "action-due"))
    assert set(first_day.values()) == {4}
    for _ in range(30):
        clock.advance(days=1)
        before = Counter(e["subject"] for e in await published(runtime, "action-due"))
        await drain(runtime)
        after = Counter(e["subject"] for e in await published(runtime, "action-due"))
        assert all(after[s] - before[s] <= 4 for s in after)
    counts = await emitted(runtime)
    assert len(counts) == planned and set(counts.values()) == {1}  # nothing missed, nothing twice


async def test_a_restart_misses_nothing_and_repeats_nothing(tmp_path: Path) -> None:
    clock = Clock(MORNING)
    path = tmp_path / "advice.sqlite3"
    runtime = await make_runtime(path, clock)
    planned = await plan_people(runtime, 20, action_pace="FIVE_OR_MORE")
    clock.advance(days=3)
    runtime.settings.scheduler_batch = 7  # type: ignore[attr-defined]
    runtime.settings.scheduler_interval_s = 0.01  # type: ignore[attr-defined]
    loop = asyncio.create_task(run_scheduler(runtime))
    while not await published(runtime, "action-due"):
        await asyncio.sleep(0.001)
    loop.cancel()  # the process stops in the middle of a catch-up
    with contextlib.suppress(asyncio.CancelledError):
        await loop
    partial = sum((await emitted(runtime)).values())
    assert partial > 0
    await runtime.store.close()
    restarted = await make_runtime(path, clock)  # a new process on the same store
    clock.advance(seconds=30)  # the old holder's lease has expired
    for _ in range(20):
        await drain(restarted)
        clock.advance(days=1)
    counts = await emitted(restarted)
    assert len(counts) == planned and set(counts.values()) == {1}


def test_two_scheduler_replicas_on_one_store_never_announce_twice(tmp_path: Path) -> None:
    path = tmp_path / "advice.sqlite3"
    start = MORNING + timedelta(days=4)

    async def prepare() -> int:
        runtime = await make_runtime(path, Clock(MORNING))
        planned = await plan_people(runtime, 40, action_pace="FIVE_OR_MORE")
        await runtime.store.close()
        return planned

    planned = asyncio.run(prepare())
    errors: list[BaseException] = []
    shares: list[int] = []
    together = threading.Barrier(2, timeout=30)

    def replica() -> None:
        async def scan_for_a_while() -> None:
            clock = Clock(start)
            runtime = await make_runtime(path, clock)
            share = 0
            for _ in range(400):
                together.wait()  # the two replicas scan in lockstep, competing for the same due rows
                # Both replicas scan without the lease, the worst case: only the transaction protects.
                share += (await emit_due_actions(runtime, limit=4)).emitted
                clock.advance(hours=2)
                await asyncio.sleep(0)
            shares.append(share)
            await runtime.store.close()

        try:
            asyncio.run(scan_for_a_while())
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors

    async def check() -> Counter[str]:
        runtime = await make_runtime(path, Clock(start))
        return await emitted(runtime)

    counts = asyncio.run(check())
    assert len(counts) == planned and set(counts.values()) == {1}
    assert sum(shares) == planned and all(share > 0 for share in shares)  # both did work, none twice


async def test_two_scheduler_loops_share_the_work_through_the_lease(tmp_path: Path) -> None:
    path = tmp_path / "advice.sqlite3"
    clock = Clock(MORNING)
    first = await make_runtime(path, clock)
    planned_today = await plan_people(first, 10)
    second = await make_runtime(path, clock)
    for runtime in (first, second):
        runtime.settings.scheduler_interval_s = 0.01  # type: ignore[attr-defined]
    loops = [asyncio.create_task(run_scheduler(r)) for r in (first, second)]
    today = 0
    for n in range(10):
        today += sum(1 for a in await repo.load_actions(first.store, subject(n)) if a.due_on == TODAY)
    for _ in range(500):
        if sum((await emitted(first)).values()) >= today:
            break
        await asyncio.sleep(0.01)
    for loop in loops:
        loop.cancel()
    await asyncio.gather(*loops, return_exceptions=True)
    counts = await emitted(first)
    assert len(counts) == today and set(counts.values()) == {1}
    assert planned_today > today
