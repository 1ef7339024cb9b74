"""The store: unavailable (the MongoDB server stops) and full (the disk under SQLite has no space left).

Issue 10, scenario 7: readiness goes red with a clear reason, the process
neither exits nor restarts in a loop, nothing is dead-lettered or lost, and
everything is applied once the store is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.chaos.report import full_scale, record
from tests.integration.chaos.test_crashes import diagnosed_once, publish
from tests.perf.system_bench import profile_events
from tests.support.system import Broker, System, eventually, start_system, topic_events

pytestmark = [pytest.mark.integration, pytest.mark.chaos]


async def readiness(system: System, service: str) -> tuple[int, dict[str, Any]]:
    # A locked SQLite file blocks the service's event loop for up to its busy timeout (5 s) per write:
    # the answer comes late, so the probe waits longer than a usual probe would.
    async with httpx.AsyncClient(timeout=20) as client:
        response = await client.get(system.url(service) + "/health/ready")
    return response.status_code, response.json()


async def red_then_green(system: System, service: str, break_it: Any, mend_it: Any) -> dict[str, Any]:
    """Break the store while events arrive, then mend it; return what readiness said and how long it took."""
    pid = system.processes[service].pid
    events = profile_events(400 if full_scale() else 120)
    subjects = [e.subject for e in events]
    await publish(system, events[:20])
    await eventually(lambda: diagnosed_once(system, subjects[:20]), timeout=60)
    break_it()
    broken_at = time.monotonic()
    await publish(system, events[20:])

    async def red() -> dict[str, Any] | None:
        status, body = await readiness(system, service)
        return body if status == 503 else None

    said = await eventually(red, timeout=60, interval=0.2)
    red_after = time.monotonic() - broken_at
    await asyncio.sleep(3)  # it stays up while the store is away: no exit, no restart loop
    alive = system.processes[service].poll() is None and system.processes[service].pid == pid
    mend_it()
    mended_at = time.monotonic()

    async def green() -> bool:
        return (await readiness(system, service))[0] == 200

    await eventually(green, timeout=120, interval=0.5)
    green_after = time.monotonic() - mended_at

    async def everyone() -> bool:
        return await diagnosed_once(system, subjects) == len(subjects)

    await eventually(everyone, timeout=180, interval=1)
    dead = await topic_events(system, "profile-updated.dlq", idle_ms=500)
    return {
        "events": len(events),
        "readiness_red_after_s": round(red_after, 1),
        "reason_given": said["checks"].get("store", "") + " " + said["checks"].get("consumer", ""),
        "process_stayed_up": alive,
        "ready_again_after_s": round(green_after, 1),
        "lost": len(subjects) - await diagnosed_once(system, subjects),
        "dead_lettered": len(dead),
    }


async def test_a_store_held_by_another_process_turns_readiness_red_and_everything_is_applied_after(
    broker: Broker, tmp_path: Path
) -> None:
    """Another process takes the store's exclusive lock (a stuck backup, an operator's shell) and lets it go."""
    store = tmp_path / "diagnostic.sqlite3"
    system = await start_system(
        broker, tmp_path / "var", services=["diagnostic"], extra_env={"DIAGNOSTIC_STORE_URL": f"sqlite:///{store}"}
    )
    holder = sqlite3.connect(store, isolation_level=None)

    try:
        figures = await red_then_green(
            system, "diagnostic", lambda: holder.execute("BEGIN EXCLUSIVE"), lambda: holder.execute("ROLLBACK")
        )
    finally:
        holder.close()
        system.stop()
    passed = figures["lost"] == 0 and figures["dead_lettered"] == 0 and figures["process_stayed_up"]
    record(
        "7a store unavailable",
        "the diagnostic service's store is locked by another process while updates arrive, then released",
        figures=figures,
        passed=passed,
        notes=(
            "the consumer waits with backoff, nothing is dead-lettered. A whole MongoDB server could not be "
            "stopped here: mongoeco, the only MongoDB-wire server available, refuses concurrent transactions, so "
            "a service cannot run on it; the MongoDB adapter's mapping of connection errors is unit-tested"
        ),
    )
    assert figures["process_stayed_up"] and figures["lost"] == 0 and figures["dead_lettered"] == 0, figures


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """Mount a 16 MB tmpfs (needs root); skip with the reason when mounting is not allowed."""
    mount = tmp_path / "tiny-disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16M", "tmpfs", str(mount)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small disk here (needs root): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


async def test_a_full_disk_turns_readiness_red_and_everything_is_applied_after(
    broker: Broker, tmp_path: Path, tiny_disk: Path
) -> None:
    store = tiny_disk / "diagnostic.sqlite3"
    ballast = tiny_disk / "ballast"
    system = await start_system(
        broker, tmp_path / "var", services=["diagnostic"], extra_env={"DIAGNOSTIC_STORE_URL": f"sqlite:///{store}"}
    )
    try:

        def fill_the_disk() -> None:
            with ballast.open("wb") as handle, contextlib.suppress(OSError):
                while True:
                    handle.write(b"\0" * (1 << 20))
                    handle.flush()
                    os.fsync(handle.fileno())

        figures = await red_then_green(system, "diagnostic", fill_the_disk, ballast.unlink)
    finally:
        system.stop()
    passed = figures["lost"] == 0 and figures["dead_lettered"] == 0 and figures["process_stayed_up"]
    record(
        "7b disk full",
        "the disk under the diagnostic service's SQLite store fills up while profile updates arrive, then is freed",
        figures=figures,
        passed=passed,
        notes="a 16 MB tmpfs filled with a ballast file; SQLite's 'database or disk is full' is a store fault",
    )
    assert figures["process_stayed_up"] and figures["lost"] == 0 and figures["dead_lettered"] == 0, figures
