"""What holds the memory of a service process: its imports by package, its app, its start-up data.

    uv run --frozen python -m tests.perf.memory_holders [--top 12] [profile diagnostic ...]

For each service, a fresh interpreter (one per service, so nothing is shared between them):

1. imports ``services.<name>.__main__``'s modules with an import hook that reads the process's
   resident memory (``/proc/self/statm``) before and after each module runs, and gives each module
   what it added minus what its own imports added: the memory is counted in the top-level package
   whose code ran (``pydantic``, ``fastapi``, ``services``...), shared-library pages included;
2. builds the app (``create_app()``: routes, OpenAPI models, telemetry);
3. runs the app's start-up (its lifespan: the reference data, the market data...) against a broker
   address where nothing listens: everything a service loads happens before it reaches the broker,
   so what is measured is the start-up data, not Kafka's buffers.

Prints, per service, the RSS after each step and the packages that hold the most; writes
``var/bench/memory_holders.json``. The RSS of a real idle process (``tests/perf/bench_memory.py``)
adds the HTTP server, the broker clients and the first requests on top.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from typing import Any

from tests.perf.results import RESULTS
from tests.support.system import ROOT, SERVICES, free_port

HOLDERS = RESULTS.with_name("memory_holders.json")

# Runs in the child interpreter (no import of this repository before the hook is in place).
CHILD = r"""
import asyncio, importlib.abc, importlib.machinery, json, os, sys, time

PAGE = os.sysconf("SC_PAGE_SIZE")

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE

held = {}
stack = []

class Loader(importlib.abc.Loader):
    def __init__(self, inner):
        self.inner = inner
    def __getattr__(self, name):  # resources, code and file name: the wrapped loader's
        return getattr(self.inner, name)
    def create_module(self, spec):
        return self.inner.create_module(spec)
    def exec_module(self, module):
        stack.append(0)
        before = rss()
        try:
            self.inner.exec_module(module)
        finally:
            added = rss() - before
            nested = stack.pop()
            top = module.__name__.split(".")[0]
            held[top] = held.get(top, 0) + added - nested
            if stack:
                stack[-1] += added

class Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = Loader(spec.loader)
                return spec
        return None

sys.meta_path.insert(0, Finder())
service = sys.argv[1]
steps = {"interpreter": rss()}
bootstrap = importlib.import_module(f"services.{service}.bootstrap")
importlib.import_module(f"services.{service}.settings")
importlib.import_module("shared.process")
steps["imports"] = rss()
app = bootstrap.create_app()
steps["create_app"] = rss()

async def start():
    async with app.router.lifespan_context(app):
        runtime = getattr(app.state, "runtime", None)
        deadline = time.monotonic() + 60
        # A service's start-up data is loaded before it reaches the broker (none listens here).
        while runtime is not None and runtime.startup_error is None and not runtime.started:
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        steps["startup"] = rss()

asyncio.run(start())
print(json.dumps({"steps": steps, "held": held}))
"""


def measure(service: str) -> dict[str, Any]:
    """Return one service's RSS after each step and its import memory by package (bytes)."""
    with tempfile.TemporaryDirectory(prefix="memory-holders-") as scratch:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ENVIRONMENT": "development",
            "VAR_DIR": scratch,
            "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
            "LOG_LEVEL": "ERROR",
        }
        done = subprocess.run(
            [sys.executable, "-c", CHILD, service], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        raise RuntimeError(f"{service}: {done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(service: str, result: dict[str, Any], top: int) -> str:
    """Return one service's steps and its biggest packages, in MB."""
    steps = result["steps"]
    mb = {name: value / 2**20 for name, value in steps.items()}
    names = list(mb)
    line = ", ".join(
        f"{name} {mb[name]:.1f}" + (f" (+{mb[name] - mb[names[i - 1]]:.1f})" if i else "")
        for i, name in enumerate(names)
    )
    held = sorted(result["held"].items(), key=lambda kv: -kv[1])[:top]
    packages = ", ".join(f"{name} {value / 2**20:.1f}" for name, value in held if value > 0)
    return f"{service}: RSS MB {line}\n    imports by package (MB): {packages}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("services", nargs="*", default=list(SERVICES))
    parser.add_argument("--top", type=int, default=12, help="packages shown per service")
    args = parser.parse_args(argv)
    results = {}
    for service in args.services:
        results[service] = measure(service)
        print(report(service, results[service], args.top), flush=True)
    HOLDERS.parent.mkdir(parents=True, exist_ok=True)
    HOLDERS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {HOLDERS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
