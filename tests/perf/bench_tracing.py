"""What tracing costs a sign-up, at several sampling ratios, in the same run (issue 21, point 3).

    uv run --frozen python -m tests.perf.bench_tracing [--people 150] [--rate 6] [--rounds 1]

Runs the sign-up wave of ``tests.perf.cost_model`` (without py-spy: CPU per process from /proc)
once per setting, each on a fresh broker and system, with the sampler set through the standard
variables: every trace (``parentbased_always_on``), one in ten and none (``parentbased_traceidratio``
at 0.1 and 0), and OpenTelemetry switched off (``OTEL_SDK_DISABLED=true``: no span at all, the floor).
With ``--rounds 2`` or more the settings run again in reverse order, so that a machine growing busier
over the run does not favour the first ones; each setting's figure is then the median of its rounds.

Writes ``var/bench/tracing.json`` and prints a Markdown table; docs/PERFORMANCE.md quotes a run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
from datetime import UTC, datetime

from tests.perf.cost_model import measure
from tests.support.system import ROOT

RESULTS = ROOT / "var" / "bench" / "tracing.json"
SETTINGS: dict[str, dict[str, str]] = {
    "100 %": {"OTEL_TRACES_SAMPLER": "parentbased_always_on"},
    "10 %": {"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.1"},
    "0 %": {"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"},
    "tracing off": {"OTEL_SDK_DISABLED": "true"},
}


async def run(people: int, rate: float, rounds: int) -> dict[str, object]:
    runs: dict[str, list[dict[str, object]]] = {name: [] for name in SETTINGS}
    for round_ in range(rounds):
        order = list(SETTINGS) if round_ % 2 == 0 else list(reversed(SETTINGS))
        for name in order:
            # The services inherit this process's environment: a setting left there would leak in.
            env = {"OTEL_TRACES_SAMPLER": "", "OTEL_TRACES_SAMPLER_ARG": "", "OTEL_SDK_DISABLED": "false"}
            result = await measure(people, rate, spy=False, extra_env=env | SETTINGS[name])
            print(
                f"round {round_ + 1}, {name}: {result['cpu_ms_per_signup_total']} CPU ms per sign-up, "
                f"{result['signed_up']} signed up, {result['errors']} errors",
                flush=True,
            )
            runs[name].append(result)
    summary = {
        name: {
            "cpu_ms_per_signup": statistics.median(float(r["cpu_ms_per_signup_total"]) for r in results),  # type: ignore[arg-type]
            "cpu_ms_per_signup_runs": [r["cpu_ms_per_signup_total"] for r in results],
            "trace_bytes_per_signup": statistics.median(int(r["trace_bytes_per_signup"]) for r in results),  # type: ignore[call-overload]
            "signed_up": [r["signed_up"] for r in results],
            "errors": [r["errors"] for r in results],
            "by_process": results[-1]["cpu_ms_per_signup_by_process"],
        }
        for name, results in runs.items()
    }
    return {
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "people": people,
        "rate_per_s": rate,
        "rounds": rounds,
        "load_average": os.getloadavg(),
        "settings": SETTINGS,
        "summary": summary,
    }


def table(result: dict[str, object]) -> str:
    summary: dict[str, dict[str, object]] = result["summary"]  # type: ignore[assignment]
    floor = float(summary["tracing off"]["cpu_ms_per_signup"])  # type: ignore[arg-type]
    lines = [
        "| sampling | CPU ms per sign-up (median) | runs | over tracing off | trace file bytes per sign-up |",
        "|---|---:|---|---:|---:|",
    ]
    for name, row in summary.items():
        cpu = float(row["cpu_ms_per_signup"])  # type: ignore[arg-type]
        runs = ", ".join(str(v) for v in row["cpu_ms_per_signup_runs"])  # type: ignore[attr-defined]
        lines.append(f"| {name} | {cpu:.1f} | {runs} | {cpu - floor:+.1f} | {row['trace_bytes_per_signup']:,} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--rate", type=float, default=6.0, help="sign-ups started per second")
    parser.add_argument("--rounds", type=int, default=1, help="runs per setting, alternating the order")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.people, args.rate, args.rounds))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(table(result))
    print(f"\nwritten to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
