"""Helpers for benchmarks that run the real system: people as events, resident memory, machine facts."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

from services.diagnostic.market_data import market_data_from_files
from shared.contracts.profile import ProfileUpdated
from shared.settings import default_data_dir
from tests.perf.bench_diagnosis import personas


def profile_events(count: int, seed: int = 2026) -> list[ProfileUpdated]:
    """Return ``count`` profile-updated events of distinct people (the diagnosis benchmark's personas)."""
    market = market_data_from_files(default_data_dir())
    people = personas(market, count, seed)
    return [ProfileUpdated(subject=f"u_{index:016x}", data=facts) for index, (facts, _) in enumerate(people)]


def rss_mb(pid: int) -> float:
    """Return the resident memory of a process in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def machine() -> dict[str, Any]:
    """Return what the benchmark ran on."""
    cpu = "unknown"
    with Path("/proc/cpuinfo").open() as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "load_average": os.getloadavg()[0],
    }
