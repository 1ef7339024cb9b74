"""Re-diagnose every person after a market re-import; announce only the diagnoses that changed.

    python -m services.diagnostic.rediagnose [--publish]

Each person is re-diagnosed from the latest profile facts the service keeps,
in a unit of work of the service's store: changed diagnoses are written and
their ``diagnosis-ready`` events staged in the outbox in the same transaction.
The running diagnostic service's relay publishes them; with ``--publish`` the
command also relays them itself (it takes the relay's lease, so the two never
publish at the same time).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from dataclasses import dataclass

from tqdm import tqdm

from services.diagnostic.market_data import MarketData, load_market_data
from services.diagnostic.publication import record_diagnosis
from services.diagnostic.repository import PEOPLE
from services.diagnostic.settings import DiagnosticSettings
from shared.broker import create_broker
from shared.contracts.profile import ProfileUpdatedData
from shared.inbox import is_erased
from shared.outbox import Outbox, OutboxRelay
from shared.store import Store, open_store
from shared.unit_of_work import unit_of_work


@dataclass
class RediagnosisReport:
    people: int = 0
    projects: int = 0
    changed: int = 0
    published: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        """Return the report as one line."""
        return (
            f"Re-diagnosed {self.people} people ({self.projects} projects) in {self.seconds:.1f} s: "
            f"{self.changed} diagnoses changed, {self.published} events published by this command."
        )


async def rediagnose_everyone(
    store: Store, outbox: Outbox, market: MarketData, *, progress: bool = True
) -> RediagnosisReport:
    """Re-diagnose every person kept in the store; stage an event for each changed diagnosis."""
    report = RediagnosisReport()
    started = time.perf_counter()
    subjects = [doc["_id"] async for doc in store.collection(PEOPLE).iterate(batch_size=1000)]
    for subject in tqdm(subjects, desc="re-diagnosing", unit="person", disable=not progress):
        async with unit_of_work(store, outbox) as uow:
            # Read again inside the transaction: the person may have been erased or updated meanwhile.
            person = await uow.collection(PEOPLE).get(subject)
            if person is None or await is_erased(uow, subject):
                continue
            basis = ProfileUpdatedData.model_validate(person["basis"])
            report.people += 1
            for project in basis.projects:
                report.projects += 1
                if await record_diagnosis(uow, market, subject, basis, project) is not None:
                    report.changed += 1
    report.seconds = time.perf_counter() - started
    return report


async def publish_outbox(store: Store, outbox: Outbox, settings: DiagnosticSettings) -> int:
    """Relay the staged events to Kafka now; return how many were published (0 if the service holds the lease)."""
    broker = create_broker(settings)
    await broker.start()
    try:
        holder = f"rediagnose-{uuid.uuid4().hex[:8]}"
        relay = OutboxRelay(store, broker, outbox, service_name=settings.service_name, holder=holder)
        try:
            return await relay.drain()  # 0 when the running service holds the lease: it relays them
        finally:
            await relay.release()
    finally:
        await broker.stop()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m services.diagnostic.rediagnose",
        description="Re-diagnose every person with the current market data; publish diagnosis-ready "
        "only where the result changed (through the outbox).",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="Also relay the events to Kafka now (otherwise the running service does).",
    )
    parser.add_argument("--store-url", help="Store URL (default: the diagnostic service's store).")
    parser.add_argument("--quiet", action="store_true", help="No progress bar.")
    return parser.parse_args(argv)


async def main(argv: list[str] | None = None) -> int:
    """Run the re-diagnosis; return the process exit code."""
    args = parse_args(argv)
    settings = DiagnosticSettings()
    store = open_store(args.store_url or settings.resolved_store_url, settings.store_database)
    outbox = Outbox(settings.topic_prefix)
    try:
        market = await load_market_data(store, settings.data_dir)
        report = await rediagnose_everyone(store, outbox, market, progress=not args.quiet)
        if args.publish and report.changed:
            report.published = await publish_outbox(store, outbox, settings)
    finally:
        await store.close()
    print(report.line())
    if not args.publish and report.changed:
        print("Events are staged in the outbox; the running diagnostic service publishes them.")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
