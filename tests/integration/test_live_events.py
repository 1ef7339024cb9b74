"""After saving the profile, the diagnosis and the advice arrive on the person's open page (server-sent events)."""

from __future__ import annotations

import asyncio

import httpx
import orjson
import pytest

from tests.support.journey import COMPLETE_PROJECT, sign_up
from tests.support.system import System

pytestmark = pytest.mark.integration


async def test_diagnosis_and_advice_are_pushed_to_the_open_page(system: System) -> None:
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=30) as client:
        person = await sign_up(client)
        other = await sign_up(client)
        ticket = (await client.post("/v1/me/events/ticket", headers=person.auth)).json()["ticket"]
        received: list[dict[str, object]] = []

        async def listen() -> None:
            async with client.stream("GET", f"/v1/me/events?ticket={ticket}") as stream:
                assert stream.headers["content-type"].startswith("text/event-stream")
                event = None
                async for line in stream.aiter_lines():
                    if line.startswith("event:"):
                        event = line.split(":", 1)[1].strip()
                    elif line.startswith("data:") and event in ("diagnosis-ready", "advice-ready"):
                        received.append(orjson.loads(line.split(":", 1)[1]))
                        if {e["type"] for e in received} == {"diagnosis-ready", "advice-ready"}:
                            return

        listener = asyncio.create_task(listen())
        await asyncio.sleep(1.5)  # the page is open before the person saves
        for someone in (other, person):
            saved = await client.post(
                "/v1/me/projects", headers=someone.auth, json={"revision": 0, "project": COMPLETE_PROJECT}
            )
            assert saved.status_code == 201
        await asyncio.wait_for(listener, timeout=20)
        assert {e["project_id"] for e in received} == {"p1"}
        assert all(e["type"] in ("diagnosis-ready", "advice-ready") for e in received)

        refused = await client.get("/v1/me/events?ticket=forged")
        assert refused.status_code == 401
