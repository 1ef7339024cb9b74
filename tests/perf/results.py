"""Benchmark results: every benchmark records its figures, with the baseline measured in the same run.

Results accumulate in ``var/bench/results.json`` (one entry per benchmark id);
``make bench`` renders them as the Markdown table in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(os.environ.get("VAR_DIR", "var")) / "bench" / "results.json"


def record(
    bench_id: str,
    title: str,
    *,
    figures: dict[str, float],
    baseline: dict[str, float] | None = None,
    ratios: dict[str, float] | None = None,
    target: str = "",
    met: bool | None = None,
    notes: str = "",
) -> dict[str, Any]:
    """Store one benchmark's figures (and baseline and ratios) in the results file; return the entry."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    existing: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    entry = {
        "id": bench_id,
        "title": title,
        "figures": figures,
        "baseline": baseline or {},
        "ratios": ratios or {},
        "target": target,
        "met": met,
        "notes": notes,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
    }
    existing[bench_id] = entry
    RESULTS.write_text(json.dumps(existing, indent=2, sort_keys=True))
    return entry
