"""The benchmark results as a Markdown page (docs/PERFORMANCE.md keeps the latest full run)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.perf.system_bench import machine

# The figures first, in its order; then the service-level benchmarks.
ORDER = (
    "P1-pipeline",
    "P2-latency",
    "P3-gateway",
    "P4-compute",
    "scheduler-due-scan",
    "volunteers-matching",
    "P7-autocomplete",
    "P8-memory",
    "memory-idle",
    "idle-cpu",
    "diagnosis",
    "advice-modules",
    "emails-digest-delivery",
)
LABELS = {"scheduler-due-scan": "P5 scheduler", "volunteers-matching": "P6 matching"}


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _pairs(values: Mapping[str, Any]) -> str:
    return "<br>".join(f"`{name}` {_value(value)}" for name, value in values.items()) or "—"


def _verdict(entry: Mapping[str, Any]) -> str:
    if entry.get("met") is None:
        return "not judged"
    return "**met**" if entry["met"] else "**missed**"


def render(results: Mapping[str, Mapping[str, Any]], *, quick: bool = False) -> str:
    """Return the Markdown page: one row per benchmark, figures beside the baseline of the same run."""
    known = [name for name in ORDER if name in results] + sorted(set(results) - set(ORDER))
    host = machine()
    lines = [
        "## Latest `make bench`",
        "",
        "Written by `make bench` (`python -m tests.perf.run`); the raw figures are in `var/bench/results.json`.",
        "Every figure is measured against a baseline measured in the same run, on the same machine: read the",
        "ratios, not the absolute numbers, which depend on what else the machine was doing (its load average",
        "is recorded in each row's notes).",
        "",
        f"Machine: {host['cpu']}, {host['cpus']} CPUs, {host['memory_gb']} GB, Python {host['python']}; "
        "embedded default stores (SQLite) and the tansu broker (memory storage) on loopback.",
        "",
    ]
    if quick:
        lines += ["**Quick run (reduced sizes): the targets are not judged.**", ""]
    lines += [
        "| benchmark | figures | baseline (same run) | ratios | target | verdict | measured |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in known:
        entry = results[name]
        label = LABELS.get(name, name)
        lines.append(
            f"| **{label}**<br>{entry['title']} | {_pairs(entry['figures'])} | {_pairs(entry['baseline'])} | "
            f"{_pairs(entry['ratios'])} | {entry.get('target') or '—'} | {_verdict(entry)} | "
            f"{entry['measured_at']} |"
        )
    lines += ["", "## Notes", ""]
    for name in known:
        notes = results[name].get("notes")
        if notes:
            lines.append(f"* **{LABELS.get(name, name)}** — {notes}")
    return "\n".join(lines) + "\n"


START, END = "<!-- generated: start -->", "<!-- generated: end -->"


def update_page(page: Path, table: str) -> None:
    """Replace the generated part of the page, keeping what people wrote around it (the analysis)."""
    text = page.read_text() if page.exists() else f"{START}\n{END}\n"
    if START not in text or END not in text:
        text = f"{START}\n{END}\n\n{text}"
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    page.write_text(f"{before}{START}\n{table}{END}{after}")
