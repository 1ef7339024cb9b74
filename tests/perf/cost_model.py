"""Where a sign-up's CPU goes: by process and by layer (issue 21, "a cost model first").

    uv run --frozen python -m tests.perf.cost_model [--people 300] [--rate 10]

Starts the broker and every service as ``make run`` does (embedded defaults), signs ``people`` guests
up at ``rate`` per second with the load client of chaos scenario 8 (personal answers, then one complete
project), waits until every consumer is drained, and meanwhile samples each service with py-spy
(``--nonblocking``: the processes are never paused). Each sample is given to the layer of its innermost
frame (the code that was running: pydantic's validation, the SQLite driver, aiokafka's encoding…), so
the table says what a sign-up pays for, not which function called it. The broker is a Rust binary: only
its CPU time is read (from /proc).

Writes ``var/bench/cost_model.json`` and prints the table; docs/PERFORMANCE.md quotes a run.
The figures are CPU milliseconds per complete sign-up over the whole measured window (the wave and
the drain), idle loops included, as the issue counts them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import aiohttp

from deploy.local.broker import LOCAL_PARTITIONS
from tests.integration.chaos.test_load import CONSUMERS, Wave, cpu_seconds, highest_lag, planned_count
from tests.support.system import ROOT, eventually, start_broker, start_system

RESULTS = ROOT / "var" / "bench" / "cost_model.json"
SAMPLES_PER_S = 250

# The layer of a frame, from the top-level package of its file (py-spy's full file names, cut after
# "site-packages/", "lib/python3.x/" or the repository's root). py-spy sees Python frames only, so
# the time of a C call (SQLite, orjson, pydantic-core) counts in the layer of the Python line that made it.
LAYERS: dict[str, tuple[str, ...]] = {
    "pydantic": ("pydantic", "pydantic_core", "pydantic_settings", "annotated_types"),
    "HTTP server (uvicorn, Starlette, FastAPI)": (
        "uvicorn",
        "starlette",
        "fastapi",
        "h11",
        "httptools",
        "sse_starlette",
    ),
    "HTTP client (httpx, httpcore)": ("httpx", "httpcore", "anyio", "sniffio", "certifi"),
    "Kafka client (aiokafka, FastStream)": ("aiokafka", "kafka", "faststream", "fast_depends"),
    "OpenTelemetry": ("opentelemetry",),
    "Prometheus": ("prometheus_client",),
    "JSON": ("json", "orjson"),
    "SQLite": ("sqlite3", "shared/store"),
    "logging": ("logging",),
    "Jinja (emails)": ("jinja2", "markupsafe"),
    "rate limits, tokens, passwords": ("limits", "jwt", "argon2", "zxcvbn", "secrets", "hashlib", "hmac"),
    "event loop (asyncio, sockets, threads)": (
        "asyncio",
        "selectors",
        "uvloop",
        "concurrent",
        "threading",
        "socket",
        "ssl",
    ),
    "our code": ("services", "shared"),
}
_LAYER_OF_TOP = {top: layer for layer, tops in LAYERS.items() for top in tops}
FRAME = re.compile(r"\((?P<file>[^()]+?)(?::\d+)?\)$")


def layer_of(stack: str) -> str:
    """Return the layer of a collapsed stack ("f1 (a.py:1);f2 (b.py:2)"): the innermost frame's."""
    leaf = stack.rsplit(";", 1)[-1]
    match = FRAME.search(leaf)
    path = match.group("file") if match else ""
    stdlib = bool(re.search(r"/lib/python3\.\d+/", path)) and "site-packages/" not in path
    path = re.split(r"site-packages/|/lib/python3\.\d+/|^" + re.escape(str(ROOT)) + "/", path)[-1]
    parts = path.split("/")
    for key in ("/".join(parts[:2]), parts[0].removesuffix(".py")):
        if key in _LAYER_OF_TOP:
            return _LAYER_OF_TOP[key]
    if stdlib or path.startswith("<frozen"):
        return "Python standard library (other)"
    return "other libraries" if path else "unknown"


def read_layers(raw: Path) -> Counter[str]:
    """Return the samples of one py-spy raw file by layer."""
    found: Counter[str] = Counter()
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            found[layer_of(stack)] += int(count)
    return found


async def measure(
    people: int,
    rate: float,
    *,
    spy: bool = True,
    partitions: int = LOCAL_PARTITIONS,
    extra_env: dict[str, str] | None = None,
) -> dict[str, object]:
    if spy and shutil.which("py-spy") is None:
        raise SystemExit("py-spy is missing: uv sync (it is a dev dependency)")
    load_before = os.getloadavg()
    broker = start_broker()
    work = Path(tempfile.mkdtemp(prefix="cost-model-"))
    # make run's partitions (one per topic), not the tests' four: the cost per sign-up moves with them.
    system = await start_system(broker, work / "var", partitions=partitions, extra_env=extra_env)
    spies: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}
    try:
        pids = {name: process.pid for name, process in system.processes.items()} | {"broker": broker.process.pid}
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        window = people / rate + 120  # the wave and time to drain; py-spy stops with --duration
        for name, process in system.processes.items() if spy else ():
            raw = work / f"{name}.txt"
            spies[name] = (
                subprocess.Popen(
                    [
                        *("py-spy", "record", "--pid", str(process.pid), "--format", "raw", "--output", str(raw)),
                        "--full-filenames",
                        *("--rate", str(SAMPLES_PER_S), "--nonblocking", "--duration", str(int(window))),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                ),
                raw,
            )
        started = time.perf_counter()
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
            wave = Wave(session, system.url("gateway"))
            await wave.run(people, people / rate)

        async def drained() -> bool:
            return await highest_lag(system, CONSUMERS) == 0 and await planned_count(system, wave.users[-20:]) == len(
                wave.users[-20:]
            )

        await eventually(drained, timeout=600)
        elapsed = time.perf_counter() - started
        used = {name: cpu_seconds(pid) - before[name] for name, pid in pids.items()}
        for spying, _ in spies.values():
            spying.send_signal(2)  # SIGINT: py-spy writes what it sampled and stops
        for spying, _ in spies.values():
            spying.wait(60)
        samples: dict[str, Counter[str]] = {name: read_layers(raw) for name, (_, raw) in spies.items() if raw.exists()}
    finally:
        for spying, _ in spies.values():
            if spying.poll() is None:
                spying.kill()
        system.stop()
        broker.stop()
    # What the local trace files took (every span each service exported, rotated files included).
    trace_files = list((work / "var" / "traces").glob("*.jsonl*"))
    trace_bytes = sum(path.stat().st_size for path in trace_files)
    spans = sum(path.read_bytes().count(b"\n") for path in trace_files)
    signed_up = len(wave.users)
    per_process = {name: round(seconds * 1000 / max(signed_up, 1), 1) for name, seconds in used.items()}
    # A process's CPU shared among its layers in proportion to its samples.
    per_layer: dict[str, float] = defaultdict(float)
    for name, counts in samples.items():
        total = sum(counts.values())
        for layer, count in counts.items():
            per_layer[layer] += per_process[name] * count / total if total else 0.0
    return {
        "people_offered": people,
        "rate_per_s": rate,
        "partitions": partitions,
        # 1, 5 and 15 min, before and after: the machine is shared, and the cost moves with its load.
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "signed_up": signed_up,
        "errors": len(wave.errors),
        "errors_by_kind": dict(Counter(wave.errors).most_common(5)),
        # Requests the gateway refused as busy (503) and the client sent again: their CPU counts too.
        "busy_refusals": wave.busy_refusals,
        "window_s": round(elapsed, 1),
        "cpu_ms_per_signup_total": round(sum(per_process.values()), 1),
        "trace_bytes_per_signup": round(trace_bytes / max(signed_up, 1)),
        "spans_exported_per_signup": round(spans / max(signed_up, 1), 1),
        "cpu_ms_per_signup_by_process": dict(sorted(per_process.items(), key=lambda kv: -kv[1])),
        "cpu_ms_per_signup_by_layer": {k: round(v, 1) for k, v in sorted(per_layer.items(), key=lambda kv: -kv[1])},
        "samples_by_process_and_layer": {name: dict(counts.most_common()) for name, counts in samples.items()},
    }


def table(result: dict[str, object]) -> str:
    """Return the result as two Markdown tables (by process, by layer)."""
    total = float(result["cpu_ms_per_signup_total"]) or 1.0  # type: ignore[arg-type]
    lines = ["| process | CPU ms per sign-up |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in result["cpu_ms_per_signup_by_process"].items()]  # type: ignore[attr-defined]
    lines += [f"| **all** | **{total}** |", ""]
    lines += ["| layer (innermost frame) | CPU ms per sign-up | share |", "|---|---:|---:|"]
    lines += [
        f"| {k} | {v} | {100 * v / total:.0f} % |"
        for k, v in result["cpu_ms_per_signup_by_layer"].items()  # type: ignore[attr-defined]
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--rate", type=float, default=6.0, help="sign-ups started per second")
    parser.add_argument("--no-spy", action="store_true", help="CPU by process only: the profiler's own cost")
    parser.add_argument("--partitions", type=int, default=LOCAL_PARTITIONS, help="partitions per topic (make run's)")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.people, args.rate, spy=not args.no_spy, partitions=args.partitions))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = RESULTS.with_name("cost_model_no_spy.json") if args.no_spy else RESULTS
    results.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(table(result))
    print(
        f"\n{result['signed_up']} sign-ups, {result['errors']} errors, {result['window_s']} s, "
        f"{result['partitions']} partition(s), load average {result['load_average_before']} -> "
        f"{result['load_average_after']}; written to {results}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
