"""Fault scenarios record what they measured; ``make chaos`` turns the records into docs/RELIABILITY.md."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.perf.report import update_page

RESULTS = Path(os.environ.get("VAR_DIR", "var")) / "chaos" / "results.json"
ROOT = Path(__file__).resolve().parents[3]


def full_scale() -> bool:
    """Return True under ``make chaos`` (the issue's sizes); False in ``make test`` (sizes that fit CI)."""
    return os.environ.get("CHAOS_FULL") == "1"


def record(scenario: str, title: str, *, figures: Mapping[str, Any], passed: bool, notes: str = "") -> None:
    """Keep one scenario's figures (the last run of each scenario wins)."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[scenario] = {
        "title": title,
        "figures": dict(figures),
        "passed": passed,
        "notes": notes,
        "scale": "full" if full_scale() else "reduced (make test)",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}",
    }
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True))


def render(results: Mapping[str, Mapping[str, Any]]) -> str:
    """Return the Markdown table of the scenarios, in their order."""
    lines = [
        "| scenario | what was measured | result | scale | measured |",
        "|---|---|---|---|---|",
    ]
    for scenario in sorted(results):
        entry = results[scenario]
        figures = "<br>".join(f"`{name}` {value}" for name, value in entry["figures"].items())
        verdict = "**passed**" if entry["passed"] else "**FAILED**"
        lines.append(
            f"| **{scenario}** {entry['title']} | {figures} | {verdict} | {entry['scale']} | "
            f"{entry['measured_at']} ({entry['machine']}) |"
        )
    notes = [f"* **{name}** — {results[name]['notes']}" for name in sorted(results) if results[name].get("notes")]
    return "\n".join([*lines, "", *notes]) + "\n"


def write_page() -> None:
    """Put the latest results into docs/RELIABILITY.md, keeping the text around them."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if results:
        update_page(ROOT / "docs" / "RELIABILITY.md", render(results))
