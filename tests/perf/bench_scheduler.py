"""Benchmark of the scheduler's due-action scan over 1,000,000 scheduled actions on the SQLite store.

Run: ``uv run python -m tests.perf.bench_scheduler`` (options: ``--actions``, ``--days``, ``--batch``).
100,000 people with 10 actions each are spread over 60 days; "now" is the morning of the second
day, so about 1/30 of the schedule is due. Target: the due-action scan ≤ 2 s.

Figures:
* ``batch_scan_ms``   — one scheduler scan: the bounded batch it reads through the ``due_at`` index;
* ``due_scan_ms``     — reading every due entry at once (the whole catch-up backlog);
* ``emit_batch_ms``   — one full emission transaction of a batch (read, cap check, delete, mark,
                        stage action-due in the outbox), and ``emit_per_s`` the resulting throughput.

Baseline measured in the same run: the same due query forced to scan the table (``NOT INDEXED``),
which is what the scan costs without the compact ``due_at`` index.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from faststream.kafka import KafkaBroker

from services.advice.repository import INDEXES, SCHEDULE
from services.advice.schedule import emit_due_actions
from services.advice.settings import AdviceSettings
from services.advice.state import AdviceState
from shared.envelope import iso
from shared.inbox import INBOX_INDEXES
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX_INDEXES, Outbox
from shared.service import ServiceRuntime
from shared.store.sqlite import SqliteStore
from shared.telemetry import new_metrics_registry
from tests.perf.results import record

START = datetime(2026, 11, 22, 23, 0, tzinfo=UTC)  # midnight in Paris, Monday 23 November 2026
NOW = START + timedelta(days=1, hours=9)
TEMPLATES = ("ask-cv-review", "list-contacts", "follow-up-applications", "write-cover-letter", "set-job-alerts")


def entry(i: int, days: int) -> dict[str, Any]:
    """Return the i-th schedule entry: person i // 10, due on one of ``days`` days at the start of the day."""
    day = (i * 7919) % days
    return {
        "_id": f"a_{i:016x}",
        "subject": f"u_bench_{i // 10:07d}",
        "due_at": iso(START + timedelta(days=day)),
        "due_on": (START + timedelta(days=day, hours=1)).date().isoformat(),
        "time_zone": "Europe/Paris",
        "cap": 4,
        "project_id": "p1",
        "template_id": TEMPLATES[i % len(TEMPLATES)],
        "advice_id": "improve-resume",
        "title": "Faire relire son CV par un bénévole",
        "minutes": 30,
        "needs_help": "cv-review" if i % 10 == 0 else None,
        "rome_code": "K2204",
        "city_insee": "69123",
    }


async def fill(store: SqliteStore, actions: int, days: int) -> float:
    """Insert the schedule, then build the indexes; return the seconds it took."""
    started = time.perf_counter()
    schedule = store.collection(SCHEDULE)
    chunk = 20_000
    for first in range(0, actions, chunk):
        await schedule.insert_many([entry(i, days) for i in range(first, min(first + chunk, actions))])
    await store.ensure_indexes([*OUTBOX_INDEXES, *INBOX_INDEXES, *INDEXES])
    store.connection.execute("ANALYZE")
    return time.perf_counter() - started


async def timed_ms(repeats: int, work: Any) -> list[float]:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        await work()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def run(actions: int, days: int, batch: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-scheduler-") as folder:
        path = Path(folder) / "advice.sqlite3"
        store = SqliteStore(path)
        fill_s = await fill(store, actions, days)
        schedule = store.collection(SCHEDULE)
        due = {"due_at": {"$lte": iso(NOW)}}
        due_count = await schedule.count(due)

        async def batch_scan() -> None:
            await schedule.find(due, sort=[("due_at", 1)], limit=batch)

        async def due_scan() -> None:
            await schedule.find(due, sort=[("due_at", 1)])

        batch_ms = await timed_ms(20, batch_scan)
        due_ms = await timed_ms(3, due_scan)
        plan = " ".join(
            str(row[-1])
            for row in store.connection.execute(
                "EXPLAIN QUERY PLAN SELECT id, doc FROM \"schedule\" WHERE json_extract(doc, '$.due_at') <= ? "
                "ORDER BY json_extract(doc, '$.due_at') LIMIT ?",
                (iso(NOW), batch),
            )
        )

        def unindexed() -> None:
            store.connection.execute(
                "SELECT id, doc FROM \"schedule\" NOT INDEXED WHERE json_extract(doc, '$.due_at') <= ? "
                "ORDER BY json_extract(doc, '$.due_at') LIMIT ?",
                (iso(NOW), batch),
            ).fetchall()

        baseline_ms = []
        for _ in range(2):
            started = time.perf_counter()
            unindexed()
            baseline_ms.append((time.perf_counter() - started) * 1000)

        runtime = ServiceRuntime(
            settings=AdviceSettings(),
            store=store,
            broker=cast(KafkaBroker, None),
            outbox=Outbox(),
            metrics=ServiceMetrics(new_metrics_registry()),
            state=AdviceState(),
            clock=lambda: NOW,
        )
        emitted = 0
        emit_ms: list[float] = []
        for _ in range(20):
            started = time.perf_counter()
            scan = await emit_due_actions(runtime, limit=batch)
            emit_ms.append((time.perf_counter() - started) * 1000)
            emitted += scan.emitted
        await store.close()

    figures = {
        "scheduled_actions": actions,
        "due_actions": due_count,
        "batch": batch,
        "batch_scan_ms": statistics.median(batch_ms),
        "due_scan_ms": min(due_ms),
        "emit_batch_ms": statistics.median(emit_ms),
        "emit_per_s": emitted / (sum(emit_ms) / 1000),
        "fill_and_index_s": fill_s,
    }
    baseline = {"unindexed_batch_scan_ms": min(baseline_ms)}
    ratios = {"unindexed_vs_indexed_batch_scan": baseline["unindexed_batch_scan_ms"] / figures["batch_scan_ms"]}
    met = figures["due_scan_ms"] <= 2000 and figures["batch_scan_ms"] <= 2000
    load = os.getloadavg()[0]
    entry_ = record(
        "scheduler-due-scan",
        f"Scheduler due-action scan over {actions:,} scheduled actions (SQLite)",
        figures=figures,
        baseline=baseline,
        ratios=ratios,
        target="due-action scan over 1,000,000 scheduled actions ≤ 2 s",
        met=met,
        scale=(actions, 1_000_000),
        notes=f"wall-clock ms; load average {load:.1f} on {os.cpu_count()} CPUs; query plan: {plan}; "
        "emission includes the outbox write of each action-due and the per-person daily cap",
    )
    for name, value in {**figures, **baseline, **ratios}.items():
        print(f"{name:34} {value:14.2f}")
    print("query plan:", plan)
    print("target met" if met else "TARGET MISSED", "-", entry_["target"])
    return entry_


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--actions", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args(argv)
    return asyncio.run(run(args.actions, args.days, args.batch))


if __name__ == "__main__":
    main()
