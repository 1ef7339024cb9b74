"""P1 pipeline throughput and P8 memory: N profile updates published → N advice plans stored.

    uv run python -m tests.perf.bench_pipeline [--people 5000]

The real diagnostic and advice services run as processes on a real tansu broker
with their SQLite stores. N ``profile-updated`` events of distinct people are
published as fast as the producer goes; the figure is people per second until
the N-th ``advice-ready`` (one per person) is on the broker. Measured in the same run:

* (a) the monolith baseline: the same diagnostic and advice handlers, called one
  after the other in one process and one loop, on SQLite stores (no broker);
* (b) the raw broker rate: the same number of messages of the same sizes
  produced and consumed, with nothing done in between.

P8: the resident memory of every service process when idle and at the end of the load.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from services.advice.handlers import default_wording, on_diagnosis_ready
from services.advice.repository import INDEXES as ADVICE_INDEXES
from services.diagnostic.handlers import DiagnosticHandlers
from services.diagnostic.market_data import market_data_from_files
from services.diagnostic.repository import INDEXES as DIAGNOSTIC_INDEXES
from shared.contracts.diagnostic import DiagnosisReady
from shared.outbox import Outbox
from shared.settings import default_data_dir
from shared.store.sqlite import SqliteStore
from shared.unit_of_work import unit_of_work
from tests.perf.results import record
from tests.perf.system_bench import machine, profile_events, rss_mb
from tests.support.system import SERVICES, start_broker, start_system


async def monolith(events: Sequence[Any], folder: Path) -> float:
    """Return people per second for diagnosis + advice called in-process, one person after another."""
    market = market_data_from_files(default_data_dir())
    handlers = DiagnosticHandlers(lambda: market)
    diagnostic_store, advice_store = SqliteStore(folder / "d.sqlite3"), SqliteStore(folder / "a.sqlite3")
    # The same indexes the services create at start-up.
    await diagnostic_store.ensure_indexes(DIAGNOSTIC_INDEXES)
    await advice_store.ensure_indexes(ADVICE_INDEXES)
    outbox = Outbox()
    default_wording()  # loaded once at start-up in the service too
    started = time.perf_counter()
    for event in events:
        async with unit_of_work(diagnostic_store, outbox) as uow:
            await handlers.on_profile_updated(event, uow)
            ready = [e for e in uow.events if isinstance(e, DiagnosisReady)]
        for diagnosis in ready:
            async with unit_of_work(advice_store, outbox) as uow:
                await on_diagnosis_ready(diagnosis, uow)
    return len(events) / (time.perf_counter() - started)


async def raw_broker(bootstrap: str, topic: str, payloads: Sequence[tuple[bytes, bytes]]) -> float:
    """Return messages per second to produce then consume the payloads, doing nothing with them."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id="bench-raw",
        session_timeout_ms=2000,
        heartbeat_interval_ms=500,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=2)
    await producer.start()
    await consumer.start()
    started = time.perf_counter()
    for key, value in payloads:
        await producer.send(topic, value, key=key)
    await producer.flush()
    seen = 0
    while seen < len(payloads):
        batch = await consumer.getmany(timeout_ms=1000, max_records=1000)
        seen += sum(len(records) for records in batch.values())
    elapsed = time.perf_counter() - started
    await consumer.stop()
    await producer.stop()
    return len(payloads) / elapsed


async def count_advice_ready(bootstrap: str, topic: str, expected: int, timeout: float) -> float:
    """Return the time the ``expected``-th advice-ready arrived (perf_counter), or raise after the timeout."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id="bench-count",
        session_timeout_ms=2000,
        heartbeat_interval_ms=500,
    )
    await consumer.start()
    subjects: set[bytes] = set()
    deadline = time.perf_counter() + timeout
    try:
        while len(subjects) < expected:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{len(subjects)}/{expected} people planned within {timeout} s")
            batch = await consumer.getmany(timeout_ms=500, max_records=2000)
            for records in batch.values():
                subjects.update(r.key for r in records)
        return time.perf_counter()
    finally:
        await consumer.stop()


async def run(people: int) -> dict[str, Any]:
    events = profile_events(people)
    payloads = [(e.key(), e.model_dump_json().encode()) for e in events]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        baseline_monolith = await monolith(events, folder)
        broker = start_broker()
        try:
            from deploy.topics import create_topics

            await create_topics(broker.bootstrap, ["bench.raw"], 4)
            baseline_raw = await raw_broker(broker.bootstrap, "bench.raw", payloads)
            system = await start_system(broker, folder / "var", services=["diagnostic", "advice"])
            try:
                idle = {name: rss_mb(system.processes[name].pid) for name in system.processes}
                counter = asyncio.create_task(
                    count_advice_ready(broker.bootstrap, system.prefix + "advice-ready", people, timeout=1800)
                )
                await asyncio.sleep(3)  # the counter joins its group first
                producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, acks="all", linger_ms=5)
                await producer.start()
                started = time.perf_counter()
                for key, value in payloads:
                    await producer.send(system.prefix + "profile-updated", value, key=key)
                await producer.flush()
                await producer.stop()
                finished = await counter
                loaded = {name: rss_mb(system.processes[name].pid) for name in system.processes}
            finally:
                system.stop()
        finally:
            broker.stop()
    rate = people / (finished - started)
    figures = {
        "people_per_s": round(rate, 1),
        **{f"rss_idle_mb.{n}": round(v, 1) for n, v in idle.items()},
        **{f"rss_loaded_mb.{n}": round(v, 1) for n, v in loaded.items()},
    }
    return record(
        "P1-pipeline",
        f"P1 pipeline throughput: {people} profile updates → advice plans (diagnostic + advice on the broker)",
        figures=figures,
        baseline={
            "monolith_people_per_s": round(baseline_monolith, 1),
            "raw_broker_msgs_per_s": round(baseline_raw, 1),
        },
        ratios={
            "vs_monolith": round(rate / baseline_monolith, 3),
            "vs_raw_broker": round(rate / baseline_raw, 4),
        },
        target="≥ 1,000 people/s and ≥ 0.3 of the monolith",
        met=rate >= 1000 and rate / baseline_monolith >= 0.3,
        scale=(people, 5_000),
        notes=f"services measured: diagnostic, advice (of {len(SERVICES)}); machine {machine()}",
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=5000)
    args = parser.parse_args(argv)
    entry = asyncio.run(run(args.people))
    print(entry["figures"], entry["baseline"], entry["ratios"])


if __name__ == "__main__":
    main()
