"""Resident memory of every idle service process, and of the broker apart (issue 21, point 4).

    uv run --frozen python -m tests.perf.bench_memory [--signups 20] [--settle-s 60] [--idle-s 20]

Starts the broker and every service as ``make run`` does (embedded defaults: SQLite stores, the tansu
broker in memory, the SMTP sink), waits until every service answers ready, then at least 20 s (the
services give back what starting freed 10 s after it) until its memory has settled (the reference
data loaded, the consumer groups joined), and reads each process's memory from
``/proc/<pid>/smaps_rollup``:

* **RSS** — every page the process has in memory, shared libraries included (what ``ps`` and the
  issue's 785 MB count; the target is judged on it);
* **PSS** — each shared page divided among the processes that map it (the sum over processes is
  what the machine really spends);
* **USS** — the pages of this process alone (what stopping it would give back).

Then ``--signups`` guests sign up with a complete project through the gateway and the memory is read
again once it settles, to show what the first requests and events add.

Writes ``var/bench/memory.json`` (every process, both moments) and the ``memory-idle`` entry of
``var/bench/results.json`` (``make bench`` puts it in docs/PERFORMANCE.md). What holds the memory of
each service is measured by ``tests/perf/memory_holders.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from tests.perf.results import RESULTS, record
from tests.perf.system_bench import machine
from tests.support.journey import COMPLETE_PROJECT
from tests.support.system import SERVICES, System, eventually, start_broker, start_system

MEMORY_RESULTS = RESULTS.with_name("memory.json")
TARGET_TOTAL_MB = 500.0
# Settled: the services' total RSS moved by less than this over the last SETTLE_SAMPLES seconds.
SETTLE_MB = 1.0
SETTLE_SAMPLES = 5


def process_memory(pid: int) -> dict[str, float]:
    """Return a process's RSS, PSS, USS, anonymous memory (MB) and thread count, from /proc."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, value = line.partition(":")
        parts = value.split()
        if parts and parts[0].isdigit():
            fields[name.strip()] = int(parts[0])  # kB
    threads = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            threads = int(line.split()[1])
    return {
        "rss_mb": round(fields.get("Rss", 0) / 1024, 1),
        "pss_mb": round(fields.get("Pss", 0) / 1024, 1),
        "uss_mb": round((fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)) / 1024, 1),
        "anonymous_mb": round(fields.get("Anonymous", 0) / 1024, 1),
        "threads": threads,
    }


def snapshot(pids: dict[str, int]) -> dict[str, dict[str, float]]:
    """Return the memory of every named process."""
    return {name: process_memory(pid) for name, pid in pids.items()}


def totals(memory: dict[str, dict[str, float]]) -> dict[str, float]:
    """Return the sums of RSS, PSS and USS over the given processes."""
    return {key: round(sum(m[key] for m in memory.values()), 1) for key in ("rss_mb", "pss_mb", "uss_mb")}


async def settle(pids: dict[str, int], timeout: float, at_least_s: float = 0.0) -> float:
    """Wait until the processes' total RSS stops moving, ``at_least_s`` at least (or the timeout); return the
    seconds waited."""
    started = time.monotonic()
    recent: list[float] = []
    while time.monotonic() - started < timeout:
        recent = [*recent[-(SETTLE_SAMPLES - 1) :], totals(snapshot(pids))["rss_mb"]]
        settled = len(recent) == SETTLE_SAMPLES and max(recent) - min(recent) < SETTLE_MB
        if settled and time.monotonic() - started >= at_least_s:
            break
        await asyncio.sleep(1)
    return round(time.monotonic() - started, 1)


async def sign_up(client: httpx.AsyncClient, index: int) -> dict[str, str]:
    """Sign one guest up with a complete project; return their authorization header."""
    response = await client.post("/v1/auth/guest", json={"first_name": f"Memoire{index}"})
    response.raise_for_status()
    auth = {"authorization": f"Bearer {response.json()['access_token']}"}
    created = await client.post("/v1/me/projects", headers=auth, json={"revision": 0, "project": COMPLETE_PROJECT})
    created.raise_for_status()
    return auth


async def sign_ups(system: System, count: int) -> int:
    """Sign ``count`` guests up; return how many got their advice plan."""
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=30) as client:
        people = [await sign_up(client, index) for index in range(count)]

        async def planned() -> int:
            done = 0
            for auth in people:
                answer = await client.get("/v1/me/plan", headers=auth)
                done += answer.status_code == 200
            return done if done == len(people) else 0

        try:
            return int(await eventually(planned, timeout=120, interval=1))
        except AssertionError:
            return 0


def interpreter_memory() -> dict[str, float]:
    """Return the memory of a bare Python interpreter: what each service process pays before any import."""
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        time.sleep(0.5)
        return process_memory(child.pid)
    finally:
        child.communicate(b"")


async def run(signups: int, settle_s: float, idle_s: float = 0.0) -> dict[str, Any]:
    broker = start_broker()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as scratch:
            system = await start_system(broker, Path(scratch) / "var")
            try:
                pids = {name: process.pid for name, process in system.processes.items()}
                waited = await settle(pids, max(settle_s, idle_s + 10), at_least_s=idle_s)
                idle = snapshot(pids)
                broker_idle = process_memory(broker.process.pid)
                planned = await sign_ups(system, signups) if signups else 0
                waited_after = await settle(pids, settle_s) if signups else 0.0
                after = snapshot(pids) if signups else {}
                broker_after = process_memory(broker.process.pid) if signups else {}
            finally:
                system.stop()
    finally:
        broker.stop()
    return {
        "services": sorted(SERVICES),
        "idle": {"processes": idle, "total": totals(idle), "broker": broker_idle, "settled_after_s": waited},
        "after_signups": {
            "signups": signups,
            "planned": planned,
            "processes": after,
            "total": totals(after) if after else {},
            "broker": broker_after,
            "settled_after_s": waited_after,
        },
        "interpreter": interpreter_memory(),
        "machine": machine(),
    }


def table(result: dict[str, Any]) -> str:
    """Return the idle memory as a Markdown table, one row per process, the broker apart."""
    idle = result["idle"]
    lines = ["| process | RSS MB | PSS MB | USS MB | threads |", "|---|---:|---:|---:|---:|"]
    for name, memory in sorted(idle["processes"].items(), key=lambda kv: -kv[1]["rss_mb"]):
        lines.append(
            f"| {name} | {memory['rss_mb']} | {memory['pss_mb']} | {memory['uss_mb']} | {memory['threads']:.0f} |"
        )
    total = idle["total"]
    lines.append(f"| **7 services** | **{total['rss_mb']}** | **{total['pss_mb']}** | **{total['uss_mb']}** | |")
    b = idle["broker"]
    lines.append(f"| broker (tansu, apart) | {b['rss_mb']} | {b['pss_mb']} | {b['uss_mb']} | {b['threads']:.0f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signups", type=int, default=20, help="guests signed up after the idle reading (0: none)")
    parser.add_argument("--settle-s", type=float, default=60.0, help="longest wait for the memory to settle")
    parser.add_argument(
        "--idle-s",
        type=float,
        default=20.0,
        help="shortest wait after every service is ready, before the idle reading: the services give back "
        "what starting freed 10 s after their start-up (shared/process.py)",
    )
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.signups, args.settle_s, args.idle_s))
    MEMORY_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    MEMORY_RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    idle, after = result["idle"], result["after_signups"]
    figures = {f"idle_rss_mb.{name}": m["rss_mb"] for name, m in sorted(idle["processes"].items())}
    figures |= {f"idle_{key}.total": value for key, value in idle["total"].items()}
    figures["broker_idle_rss_mb"] = idle["broker"]["rss_mb"]
    if after["processes"]:
        figures |= {f"after_{after['signups']}_signups_{k}.total": v for k, v in after["total"].items()}
    record(
        "memory-idle",
        "Resident memory of the seven idle services (MB), the broker apart",
        figures=figures,
        baseline={"python_interpreter_rss_mb": result["interpreter"]["rss_mb"]},
        ratios={"idle_rss_total_vs_target": round(idle["total"]["rss_mb"] / TARGET_TOTAL_MB, 2)},
        target=f"total idle RSS of the seven services ≤ {TARGET_TOTAL_MB:.0f} MB",
        met=idle["total"]["rss_mb"] <= TARGET_TOTAL_MB,
        notes=(
            "/proc/<pid>/smaps_rollup once the total RSS moved < 1 MB over 5 s "
            f"({idle['settled_after_s']} s after ready); PSS, USS and the reading after {after['signups']} "
            f"sign-ups ({after['planned']} planned) in var/bench/memory.json; what holds it: "
            "tests/perf/memory_holders.py"
        ),
    )
    print(table(result))
    if after["processes"]:
        print(f"\nafter {after['signups']} sign-ups ({after['planned']} planned): {after['total']}")
    print(f"bare interpreter: {result['interpreter']}\nwritten to {MEMORY_RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
