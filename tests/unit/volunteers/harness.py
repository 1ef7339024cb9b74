"""The volunteers service's real app and use cases on an in-memory store, with a clock the test moves.

No broker: events stay in the outbox, where tests read them. Background rounds
run when the test calls ``round()``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from services.volunteers.bootstrap import create_app
from services.volunteers.handlers import on_user_erased
from services.volunteers.references import Reference
from services.volunteers.repository import INDEXES
from services.volunteers.settings import VolunteersSettings
from services.volunteers.state import VolunteersState
from services.volunteers.upkeep import UpkeepReport, upkeep_round
from shared.contracts.profile import UserErased
from shared.contracts.vocabulary import Help
from shared.inbox import INBOX_INDEXES
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX, OUTBOX_INDEXES, Outbox
from shared.service import ServiceRuntime
from shared.settings import DEVELOPMENT_INTERNAL_TOKEN
from shared.store.sqlite import SqliteStore
from shared.telemetry import new_metrics_registry

PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class Clock:
    """A clock that only moves when the test says so."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Volunteers:
    app: FastAPI
    runtime: ServiceRuntime
    http: httpx.AsyncClient
    clock: Clock
    store: SqliteStore

    async def round(self) -> UpkeepReport:
        """Run one background round (time-outs, expiry, matching) at the clock's time."""
        return await upkeep_round(self.runtime)

    async def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return await self.http.request(method, "/internal" + path, **kwargs)

    async def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.call(method, path, **kwargs)
        assert response.status_code < 300, (response.status_code, response.text)
        return response.json() if response.content else None

    async def events(self, topic: str) -> list[dict[str, Any]]:
        """Return the staged events of a topic, oldest first."""
        rows = await self.store.collection(OUTBOX).find({"topic": topic}, sort=[("seq", 1)])
        return [json.loads(row["value"]) for row in rows]

    async def outbox_text(self) -> str:
        rows = await self.store.collection(OUTBOX).find()
        return "\n".join(row["value"] for row in rows)

    async def ask_from_action(self, subject: str, action_id: str, kind: Help = Help.CV_REVIEW) -> Any:
        """Ask for help from an action of the plan (its button), without the sharing choice yet."""
        return await self.ok("POST", f"/users/{subject}/help-requests", json={"kind": kind, "action_id": action_id})

    async def erase(self, subject: str) -> None:
        async with self.runtime.unit_of_work() as uow:
            await on_user_erased(UserErased(subject=subject), uow)

    async def pledge(self, user_id: str, *, confirm: bool = True, **fields: Any) -> dict[str, Any]:
        """Sign a volunteer up (and confirm the email, unless told not to)."""
        body = {"first_name": "Claire", "kinds": ["cv-review"], "monthly_capacity": 2, **fields}
        created = await self.ok("POST", f"/pledges/{user_id}", json=body)
        if confirm:
            return dict(await self.ok("POST", "/pledge-confirmations", json={"token": created["confirmation_token"]}))
        return dict(created)

    async def open_request(self, subject: str, kind: str = "cv-review", **sharing: Any) -> dict[str, Any]:
        body = {"kind": kind, "sharing": {"rome_code": "D1202", "city_insee": "69123", **sharing}}
        return dict(await self.ok("POST", f"/users/{subject}/help-requests", json=body))

    async def everything_mentioning(self, needle: str) -> dict[str, int]:
        """Return, per collection, how many stored documents contain the text (outbox left out)."""
        found = {}
        for name in await self.store.collection_names():
            if name == OUTBOX:
                continue
            count = sum(1 for doc in await self.store.collection(name).find() if needle in json.dumps(doc))
            if count:
                found[name] = count
        return found


@asynccontextmanager
async def running_volunteers(reference: Reference, clock: Clock, **settings: Any) -> AsyncIterator[Volunteers]:
    """Yield the service's app on a fresh in-memory store."""
    # In process, on the public development secrets (outside development the settings refuse them).
    config = VolunteersSettings(environment="development", **settings)
    store = SqliteStore(":memory:")
    await store.ensure_indexes([*OUTBOX_INDEXES, *INBOX_INDEXES, *INDEXES])
    runtime = ServiceRuntime(
        settings=config,
        store=store,
        broker=KafkaBroker("127.0.0.1:1"),
        outbox=Outbox(),
        metrics=ServiceMetrics(new_metrics_registry()),
        state=VolunteersState(reference=reference),
        clock=clock,
    )
    app = create_app(config)
    app.state.runtime = runtime
    headers = {"authorization": f"Bearer {DEVELOPMENT_INTERNAL_TOKEN}"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://volunteers", headers=headers
    ) as http:
        yield Volunteers(app=app, runtime=runtime, http=http, clock=clock, store=store)
    await store.close()
