"""Idle CPU of the whole local system: the broker and the seven services doing nothing (issue 21).

    uv run --frozen python -m tests.perf.bench_idle [--window 60] [--settle 20] [--partitions N] [--spy] [--busy]

Starts the broker and every service as ``make run`` does (embedded defaults, ``make run``'s 1
partition per topic unless told otherwise), waits until they all answer ready, lets them settle
(consumer groups joined, start-up work done), then reads each process's CPU time (user + system,
from /proc) at the start and the end of a window in which nobody uses the system. Every loop that
runs when there is nothing to do counts: the consumers' fetches and the broker's answers to them,
heartbeats, the outbox relays, leases, schedulers and timers.

``--spy`` also samples each service with py-spy (``--nonblocking``: never paused) during the window
and prints, per process, the innermost frames that took the most samples: where the idle CPU goes.
py-spy costs CPU itself; read the figures of a run without it. ``--busy`` keeps the consumers at their
busy pace (never the idle one): with ``--partitions 6`` it measures the system as it was before issue 21.

Records ``idle-cpu`` in ``var/bench/results.json`` and writes ``var/bench/idle.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from deploy.local.broker import LOCAL_PARTITIONS
from tests.integration.chaos.test_load import cpu_seconds
from tests.perf.results import RESULTS, record
from tests.support.system import start_broker, start_system

TARGET_CORES = 0.10
SAMPLES_PER_S = 100


def leaf_frames(raw: Path, top: int = 8) -> list[tuple[str, int]]:
    """Return the innermost frames of a py-spy raw file that took the most samples, idle waits left out."""
    found: Counter[str] = Counter()
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            found[stack.rsplit(";", 1)[-1]] += int(count)
    return found.most_common(top)


async def measure(window_s: float, settle_s: float, partitions: int, *, spy: bool, busy: bool) -> dict[str, object]:
    if spy and shutil.which("py-spy") is None:
        raise SystemExit("py-spy is missing: uv sync (it is a dev dependency)")
    broker = start_broker()
    work = Path(tempfile.mkdtemp(prefix="bench-idle-"))
    # The services read their settings as make run gives them; only ports, prefix and var differ.
    env = {"ENVIRONMENT": "development"}
    if busy:
        env["KAFKA_IDLE_AFTER_S"] = str(10 * (settle_s + window_s))  # never idle within the run
    system = await start_system(broker, work / "var", partitions=partitions, extra_env=env)
    spies: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}
    try:
        await asyncio.sleep(settle_s)  # a fixed time: "settled" is what the window then measures
        pids = {name: process.pid for name, process in system.processes.items()} | {"broker": broker.process.pid}
        for name, process in system.processes.items() if spy else ():
            raw = work / f"{name}.txt"
            spies[name] = (
                subprocess.Popen(
                    [
                        *("py-spy", "record", "--pid", str(process.pid), "--format", "raw", "--output", str(raw)),
                        *("--rate", str(SAMPLES_PER_S), "--nonblocking", "--duration", str(int(window_s))),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                ),
                raw,
            )
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        started = time.monotonic()
        await asyncio.sleep(window_s)  # the measurement itself: nothing happens, on purpose
        used = {name: cpu_seconds(pid) - before[name] for name, pid in pids.items()}
        elapsed = time.monotonic() - started
        for spying, _ in spies.values():
            spying.wait(60)
        frames = {name: leaf_frames(raw) for name, (_, raw) in spies.items() if raw.exists()}
        for name, process in system.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited during the window: {system.log(name)[-2000:]}")
    finally:
        for spying, _ in spies.values():
            if spying.poll() is None:
                spying.kill()
        system.stop()
        broker.stop()
    cores = {name: round(seconds / elapsed, 4) for name, seconds in sorted(used.items(), key=lambda kv: -kv[1])}
    return {
        "window_s": round(elapsed, 1),
        "settle_s": settle_s,
        "partitions": partitions,
        "profiled": spy,
        "idle_pace": not busy,
        "cores_total": round(sum(used.values()) / elapsed, 4),
        "cores_by_process": cores,
        "load_average_1min": os.getloadavg()[0],
        "top_frames": frames,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--window", type=float, default=60.0, help="seconds of idle measured")
    parser.add_argument("--settle", type=float, default=20.0, help="seconds waited after every service is ready")
    parser.add_argument("--partitions", type=int, default=LOCAL_PARTITIONS, help="partitions per topic (make run's)")
    parser.add_argument("--spy", action="store_true", help="also sample the services with py-spy")
    parser.add_argument(
        "--busy", action="store_true", help="consumers never switch to the idle pace (shared/pace.py): the before"
    )
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.window, args.settle, args.partitions, spy=args.spy, busy=args.busy))
    out = RESULTS.with_name("idle" + ("_spy" if args.spy else "") + ("_busy" if args.busy else "") + ".json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print("| process | cores |\n|---|---:|")
    for name, value in result["cores_by_process"].items():  # type: ignore[attr-defined]
        print(f"| {name} | {value:.3f} |")
    print(f"| **all** | **{result['cores_total']:.3f}** |")
    for name, top in result["top_frames"].items():  # type: ignore[attr-defined]
        print(f"\n{name}:")
        for frame, count in top:
            print(f"  {count:6d}  {frame}")
    if not args.spy and not args.busy:
        total = float(result["cores_total"])  # type: ignore[arg-type]
        record(
            "idle-cpu",
            "Idle CPU of the whole local system (broker + 7 services, nobody using it), in cores",
            figures={"cores_total": total}
            | {f"cores.{name}": value for name, value in result["cores_by_process"].items()},  # type: ignore[attr-defined]
            target=f"≤ {TARGET_CORES} cores",
            met=total <= TARGET_CORES,
            notes=f"{result['window_s']} s window after {args.settle} s of settling, {args.partitions} partitions; "
            f"load average {result['load_average_1min']:.2f} (other work on the machine shows in wall time, "
            "not in these CPU times).",
        )
    print(f"\nwindow {result['window_s']} s; written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
