"""What tracing costs a sign-up, at several sampling ratios, in the same run (issue 21, point 3).

    uv run --frozen python -m tests.perf.bench_tracing [--people 150] [--rate 6] [--rounds 1]

Runs the sign-up wave of ``tests.perf.cost_model`` (without py-spy: CPU per process from /proc)
once per setting, each on a fresh broker and system, with the sampler set through the standard
variables: every trace (``parentbased_always_on``), one in ten and none (``parentbased_traceidratio``
at 0.1 and 0, failed traces kept), and OpenTelemetry switched off (``OTEL_SDK_DISABLED=true``: no span
at all, the floor).
With ``--rounds 2`` or more the settings run again in reverse order, so that a machine growing busier
over the run does not favour the first ones; each setting's figure is then the median of its rounds.

The whole system's CPU per sign-up moves with how busy the machine is (slower consumers fetch bigger
batches), so the same run also measures tracing alone, in this process: CPU µs for one handled event
traced as the services trace it (a consumer span, six store-call spans, the attributes they carry) through
the services' own provider (sampler, error keeping, privacy filter, batch export to a JSON-lines file).
``time.process_time`` counts the export thread too.

Writes ``var/bench/tracing.json`` and prints Markdown tables; docs/PERFORMANCE.md quotes a run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from opentelemetry import trace

from shared.telemetry import tracer_provider
from tests.perf.cost_model import measure
from tests.support.system import ROOT

RESULTS = ROOT / "var" / "bench" / "tracing.json"
SETTINGS: dict[str, dict[str, str]] = {
    "100 %": {"OTEL_TRACES_SAMPLER": "parentbased_always_on"},
    "10 %": {"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.1"},
    "0 %": {"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"},
    "tracing off": {"OTEL_SDK_DISABLED": "true"},
}
# In process only (seconds, not minutes): what keeping failed traces costs when a trace is left out.
IN_PROCESS_SETTINGS: dict[str, dict[str, str]] = {
    **SETTINGS,
    "10 %, failures not kept": SETTINGS["10 %"] | {"TRACES_KEEP_ERRORS": "false"},
    "0 %, failures not kept": SETTINGS["0 %"] | {"TRACES_KEEP_ERRORS": "false"},
}


def number(value: object) -> float:
    return float(value)  # type: ignore[arg-type]


STORE_CALLS = ("get profiles", "find inbox", "insert effects", "put outbox", "update inbox", "transaction -")


def in_process_cost(events: int) -> dict[str, float]:
    """Return CPU µs per traced event (one consumer span and six store spans) for each setting, best of 3."""
    found: dict[str, float] = {}
    for name, env in IN_PROCESS_SETTINGS.items():
        best = float("inf")
        for _ in range(3):
            with tempfile.TemporaryDirectory() as folder:
                provider: trace.TracerProvider
                if env.get("OTEL_SDK_DISABLED") == "true":
                    provider = trace.NoOpTracerProvider()
                else:
                    provider = tracer_provider("bench", var_dir=Path(folder), otlp_endpoint=None, environ=env)
                tracer = provider.get_tracer("bench")
                started = time.process_time()
                for n in range(events):
                    with tracer.start_as_current_span(
                        "handle profile-updated",
                        kind=trace.SpanKind.CONSUMER,
                        attributes={
                            "messaging.system": "kafka",
                            "messaging.destination.name": "profile-updated",
                            "messaging.consumer.group.name": "advice",
                            "event.id": f"{n:032x}",
                            "event.type": "profile-updated",
                        },
                    ):
                        for call in STORE_CALLS:
                            operation, collection = call.split(" ")
                            with tracer.start_as_current_span(
                                f"store.{call}",
                                kind=trace.SpanKind.CLIENT,
                                attributes={
                                    "db.system": "sqlite",
                                    "db.operation.name": operation,
                                    "db.collection.name": collection,
                                },
                            ):
                                pass
                if hasattr(provider, "shutdown"):
                    provider.shutdown()  # the export thread's work counts: wait for it
                best = min(best, (time.process_time() - started) / events * 1e6)
        found[name] = round(best, 1)
    return found


async def run(people: int, rate: float, rounds: int) -> dict[str, object]:
    runs: dict[str, list[dict[str, object]]] = {name: [] for name in SETTINGS}
    for round_ in range(rounds):
        order = list(SETTINGS) if round_ % 2 == 0 else list(reversed(SETTINGS))
        for name in order:
            # The services inherit this process's environment: a setting left there would leak in.
            env = {
                "OTEL_TRACES_SAMPLER": "",
                "OTEL_TRACES_SAMPLER_ARG": "",
                "OTEL_SDK_DISABLED": "false",
                "TRACES_KEEP_ERRORS": "true",
            }
            result = await measure(people, rate, spy=False, extra_env=env | SETTINGS[name])
            print(
                f"round {round_ + 1}, {name}: {result['cpu_ms_per_signup_total']} CPU ms per sign-up, "
                f"{result['signed_up']} signed up, {result['errors']} errors",
                flush=True,
            )
            runs[name].append(result)
    per_event = in_process_cost(5000)
    print(f"in process, CPU µs per traced event: {per_event}", flush=True)
    summary = {
        name: {
            "cpu_ms_per_signup": statistics.median(float(r["cpu_ms_per_signup_total"]) for r in results),  # type: ignore[arg-type]
            "cpu_ms_per_signup_runs": [r["cpu_ms_per_signup_total"] for r in results],
            "trace_bytes_per_signup": statistics.median(int(r["trace_bytes_per_signup"]) for r in results),  # type: ignore[call-overload]
            "spans_exported_per_signup": statistics.median(
                number(r.get("spans_exported_per_signup", 0)) for r in results
            ),
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
        "in_process_cpu_us_per_traced_event": per_event,
    }


def table(result: dict[str, object]) -> str:
    summary: dict[str, dict[str, object]] = result["summary"]  # type: ignore[assignment]
    floor = float(summary["tracing off"]["cpu_ms_per_signup"])  # type: ignore[arg-type]
    per_event: dict[str, float] = result["in_process_cpu_us_per_traced_event"]  # type: ignore[assignment]
    lines = [
        "| sampling | whole system: CPU ms per sign-up (median) | runs | over tracing off | spans exported"
        " per sign-up | trace file bytes per sign-up | in process: CPU µs per traced event |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for name, row in summary.items():
        cpu = float(row["cpu_ms_per_signup"])  # type: ignore[arg-type]
        runs = ", ".join(str(v) for v in row["cpu_ms_per_signup_runs"])  # type: ignore[attr-defined]
        lines.append(
            f"| {name} | {cpu:.1f} | {runs} | {cpu - floor:+.1f} | {row['spans_exported_per_signup']} "
            f"| {row['trace_bytes_per_signup']:,} | {per_event[name]} |"
        )
    for name, cost in per_event.items():
        if name not in summary:
            lines.append(f"| {name} | not run | | | | | {cost} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--rate", type=float, default=6.0, help="sign-ups started per second")
    parser.add_argument("--rounds", type=int, default=1, help="runs per setting, alternating the order")
    parser.add_argument("--in-process-only", action="store_true", help="the in-process figures alone (seconds)")
    args = parser.parse_args(argv)
    if args.in_process_only:
        print(json.dumps(in_process_cost(5000), indent=2, ensure_ascii=False))
        return 0
    result = asyncio.run(run(args.people, args.rate, args.rounds))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(table(result))
    print(f"\nwritten to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
