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
    scale: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """Store one benchmark's figures (and baseline and ratios) in the results file; return the entry.

    ``scale`` is (the size run, the size the target is stated for): a smaller run is recorded
    with its figures, but its target is not judged (``met`` is None).
    """
    if scale is not None and scale[0] < scale[1]:
        met = None
        notes = f"reduced size ({scale[0]:,} of {scale[1]:,}): target not judged. {notes}".strip()
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
        "scale": list(scale) if scale else None,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
    }
    existing[bench_id] = entry
    RESULTS.write_text(json.dumps(existing, indent=2, sort_keys=True))
    return entry
