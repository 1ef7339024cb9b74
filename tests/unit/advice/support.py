"""A real advice store (SQLite) and unit of work for handler, scheduler and route tests, with a fixed clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from faststream.kafka import KafkaBroker

from services.advice.catalogue import catalogue
from services.advice.handlers import on_diagnosis_ready, on_profile_updated, on_user_erased
from services.advice.render import Wording
from services.advice.repository import INDEXES
from services.advice.settings import AdviceSettings
from services.advice.state import AdviceState
from shared.contracts.advice import ActionDue, AdviceReady
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.envelope import Event
from shared.inbox import INBOX_INDEXES
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX, OUTBOX_INDEXES, Outbox
from shared.service import ServiceRuntime
from shared.store.sqlite import SqliteStore
from shared.telemetry import new_metrics_registry

WORDING = Wording(catalogue())


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def make_runtime(path: Path | str, clock: Clock) -> ServiceRuntime:
    """Return an advice runtime on a SQLite file (no broker: events stay in the outbox for the test to read)."""
    store = SqliteStore(path)
    await store.ensure_indexes([*OUTBOX_INDEXES, *INBOX_INDEXES, *INDEXES])
    return ServiceRuntime(
        settings=AdviceSettings(),
        store=store,
        broker=cast(KafkaBroker, None),
        outbox=Outbox(),
        metrics=ServiceMetrics(new_metrics_registry()),
        state=AdviceState(wording=WORDING),
        clock=clock,
    )


async def apply(runtime: ServiceRuntime, event: Event) -> None:
    """Apply one event the way the consumer does (one unit of work)."""
    async with runtime.unit_of_work() as uow:
        if isinstance(event, DiagnosisReady):
            await on_diagnosis_ready(event, uow, wording=WORDING)
        elif isinstance(event, ProfileUpdated):
            await on_profile_updated(event, uow, wording=WORDING)
        elif isinstance(event, UserErased):
            await on_user_erased(event, uow)
        else:
            raise TypeError(event)


async def published(runtime: ServiceRuntime, topic: str) -> list[dict[str, Any]]:
    """Return the events staged in the outbox for a topic, in order."""
    rows = await runtime.store.collection(OUTBOX).find({"topic": topic}, sort=[("seq", 1)])
    model = {"advice-ready": AdviceReady, "action-due": ActionDue}[topic]
    return [model.model_validate_json(row["value"]).model_dump(mode="json") for row in rows]
