"""Run every benchmark of tests/perf, then write the results table (what ``make bench`` calls).

    uv run python -m tests.perf.run [--quick] [--only P1-pipeline,P4-compute]

Each benchmark runs in its own process, one after the other (they would
disturb each other's figures), and records its figures with the baseline
measured in the same run in ``var/bench/results.json``. At the end the table is
written to ``var/bench/results.md`` and, for a full run, to
``docs/PERFORMANCE.md`` with a description of the machine.

``--quick`` runs every benchmark at a small size to check that they all still
work (a few minutes); its targets are not judged and docs/ is left alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.perf.report import render, update_page
from tests.perf.results import RESULTS

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Benchmark:
    ids: tuple[str, ...]  # the result entries it records
    module: str
    full: tuple[str, ...] = ()
    quick: tuple[str, ...] = ()


BENCHMARKS = (
    Benchmark(("P4-compute",), "bench_compute", (), ("--personas", "300")),
    Benchmark(("diagnosis",), "bench_diagnosis", (), ("--personas", "300")),
    Benchmark(("advice-modules",), "bench_advice", (), ("--personas", "300")),
    Benchmark(("scheduler-due-scan",), "bench_scheduler", (), ("--actions", "20000")),
    Benchmark(("volunteers-matching",), "bench_matching", (), ("--requests", "2000", "--volunteers", "400")),
    Benchmark(("emails-digest-delivery",), "bench_emails", (), ("--actions", "300")),
    Benchmark(("P1-pipeline",), "bench_pipeline", (), ("--people", "300")),
    Benchmark(("P2-latency", "P8-memory"), "bench_latency", (), ("--rate", "20", "--seconds", "5", "--people", "40")),
    Benchmark(("P3-gateway", "P7-autocomplete"), "bench_gateway", (), ("--seconds", "3", "--clients", "8")),
    Benchmark(("memory-idle",), "bench_memory", (), ("--signups", "3", "--settle-s", "20")),
    Benchmark(("idle-cpu",), "bench_idle", (), ("--window", "10", "--settle", "5")),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: check that every benchmark runs")
    parser.add_argument("--only", default="", help="comma-separated result ids to run (default: all)")
    args = parser.parse_args(argv)
    wanted = {name for name in args.only.split(",") if name}
    chosen = [b for b in BENCHMARKS if not wanted or wanted & set(b.ids)]
    failed: list[str] = []
    started = time.monotonic()
    for number, bench in enumerate(chosen, 1):
        arguments = bench.quick if args.quick else bench.full
        print(f"[{number}/{len(chosen)}] {', '.join(bench.ids)} ({bench.module} {' '.join(arguments)})", flush=True)
        began = time.monotonic()
        done = subprocess.run([sys.executable, "-m", f"tests.perf.{bench.module}", *arguments], cwd=ROOT, check=False)
        outcome = "ok" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
        print(f"    {outcome} in {time.monotonic() - began:.0f} s", flush=True)
        if done.returncode != 0:
            failed.extend(bench.ids)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    table = render(results, quick=args.quick)
    (RESULTS.parent / "results.md").write_text(table)
    if not args.quick and not wanted and not failed:
        update_page(ROOT / "docs" / "PERFORMANCE.md", table)
        print("docs/PERFORMANCE.md updated")
    print(f"results: {RESULTS} and {RESULTS.parent / 'results.md'} ({time.monotonic() - started:.0f} s in all)")
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
