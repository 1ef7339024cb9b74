"""The store: unavailable (the MongoDB server stops) and full (the disk under SQLite has no space left).

Issue 10, scenario 7: readiness goes red with a clear reason, the process
neither exits nor restarts in a loop, nothing is dead-lettered or lost, and
everything is applied once the store is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.chaos.crowd import topic_events
from tests.integration.chaos.report import full_scale, record
from tests.integration.chaos.test_crashes import diagnosed_once, publish
from tests.perf.system_bench import profile_events
from tests.support.mongo import start_mongoeco
from tests.support.system import Broker, System, eventually, start_system

pytestmark = [pytest.mark.integration, pytest.mark.chaos]


async def readiness(system: System, service: str) -> tuple[int, dict[str, Any]]:
    async with httpx.AsyncClient(timeout=5) as client:
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


async def test_an_unavailable_mongodb_turns_readiness_red_and_everything_is_applied_after(
    broker: Broker, tmp_path: Path
) -> None:
    try:
        server, uri = start_mongoeco(tmp_path / "mongo.sqlite3")
    except LookupError as error:
        pytest.skip(str(error))
    port = int(uri.split(":")[2].split("/")[0])
    system = await start_system(
        broker, tmp_path / "var", services=["diagnostic"], extra_env={"DIAGNOSTIC_STORE_URL": uri}
    )
    holder = {"server": server}
    try:

        def stop_server() -> None:
            holder["server"].terminate()
            holder["server"].wait(20)

        def start_server() -> None:
            holder["server"], _ = start_mongoeco(tmp_path / "mongo.sqlite3", port)

        figures = await red_then_green(system, "diagnostic", stop_server, start_server)
    finally:
        system.stop()
        holder["server"].terminate()
    passed = figures["lost"] == 0 and figures["dead_lettered"] == 0 and figures["process_stayed_up"]
    record(
        "7a store unavailable",
        "the MongoDB server of the diagnostic service stops while profile updates arrive, then comes back",
        figures=figures,
        passed=passed,
        notes="MongoDB wire protocol served by mongoeco; the consumer waits with backoff, nothing is dead-lettered",
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
