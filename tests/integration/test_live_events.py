"""After saving the profile, the diagnosis and the advice arrive on the person's open page (server-sent events)."""

from __future__ import annotations

import asyncio

import httpx
import orjson
import pytest

from tests.support.journey import COMPLETE_PROJECT, sign_up
from tests.support.system import System, eventually

pytestmark = pytest.mark.integration


async def test_diagnosis_and_advice_are_pushed_to_the_open_page(system: System) -> None:
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=30) as client:
        person = await sign_up(client)
        other = await sign_up(client)
        ticket = (await client.post("/v1/me/events/ticket", headers=person.auth)).json()["ticket"]
        received: list[dict[str, object]] = []
        opened = asyncio.Event()

        async def listen() -> None:
            async with client.stream("GET", f"/v1/me/events?ticket={ticket}") as stream:
                assert stream.headers["content-type"].startswith("text/event-stream")
                event = None
                async for line in stream.aiter_lines():
                    if line.startswith("event:"):
                        event = line.split(":", 1)[1].strip()
                        if event == "ready":
                            opened.set()
                    elif line.startswith("data:") and event in ("diagnosis-ready", "advice-ready"):
                        received.append(orjson.loads(line.split(":", 1)[1]))
                        if {e["type"] for e in received} == {"diagnosis-ready", "advice-ready"}:
                            return

        listener = asyncio.create_task(listen())
        await asyncio.wait_for(opened.wait(), timeout=20)  # the page is open before the person saves
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


async def test_every_save_reaches_the_open_page_even_when_the_diagnosis_does_not_change(system: System) -> None:
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=30) as client:
        person = await sign_up(client)
        saved = await client.post(
            "/v1/me/projects", headers=person.auth, json={"revision": 0, "project": COMPLETE_PROJECT}
        )
        assert saved.status_code == 201
        revision = saved.json()["revision"]

        async def diagnosed() -> bool:
            found = (await client.get("/v1/me/diagnosis", headers=person.auth)).json()
            return bool(found) and found[0]["profile_revision"] >= revision

        await eventually(diagnosed, timeout=60, interval=0.5)
        before = (await client.get("/v1/me/diagnosis", headers=person.auth)).json()[0]

        ticket = (await client.post("/v1/me/events/ticket", headers=person.auth)).json()["ticket"]
        received: list[tuple[str, dict[str, object]]] = []
        opened = asyncio.Event()

        async def listen() -> None:
            async with client.stream("GET", f"/v1/me/events?ticket={ticket}") as stream:
                event = None
                async for line in stream.aiter_lines():
                    if line.startswith("event:"):
                        event = line.split(":", 1)[1].strip()
                        if event == "ready":
                            opened.set()
                    elif line.startswith("data:") and event in ("profile-saved", "diagnosis-ready"):
                        received.append((event, orjson.loads(line.split(":", 1)[1])))
                        if event == "diagnosis-ready":
                            return

        listener = asyncio.create_task(listen())
        await asyncio.wait_for(opened.wait(), timeout=20)  # the page is open (another tab, another device)
        # A save that changes nothing the diagnosis uses: the diagnostic service publishes nothing.
        changed = await client.patch(
            "/v1/me/profile",
            headers=person.auth,
            json={"revision": revision, "preferences": {"quiet_hours_start": "21:00"}},
        )
        assert changed.status_code == 200, changed.text
        await asyncio.wait_for(listener, timeout=25)

        (kind, saved_event), (ready_kind, ready) = received[0], received[-1]
        assert kind == "profile-saved" and saved_event["revision"] == revision + 1
        assert saved_event["project_ids"] == ["p1"] and set(saved_event) == {
            "type",
            "revision",
            "project_ids",
            "occurred_at",
        }
        assert ready_kind == "diagnosis-ready" and ready["changed"] is False and ready["revision"] == revision + 1
        after = (await client.get("/v1/me/diagnosis", headers=person.auth)).json()[0]
        assert after["profile_revision"] == revision + 1 and after["fingerprint"] == before["fingerprint"]


async def test_an_erasure_ends_the_open_stream_and_it_does_not_open_again(system: System) -> None:
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=30) as client:
        person = await sign_up(client)
        ticket = (await client.post("/v1/me/events/ticket", headers=person.auth)).json()["ticket"]
        opened = asyncio.Event()
        received: list[str] = []

        async def listen() -> None:
            async with client.stream("GET", f"/v1/me/events?ticket={ticket}") as stream:
                async for line in stream.aiter_lines():
                    if line.startswith("event:"):
                        received.append(line.split(":", 1)[1].strip())
                        if received[-1] == "ready":
                            opened.set()
            # The server closed the stream: the loop ends only then.

        listener = asyncio.create_task(listen())
        await asyncio.wait_for(opened.wait(), timeout=20)
        assert (await client.delete("/v1/me", headers=person.auth)).status_code == 202
        await asyncio.wait_for(listener, timeout=30)
        assert received[-1] == "account-erased"

        # Neither the ticket nor the access token, both still unexpired, opens it again.
        again = await client.get(f"/v1/me/events?ticket={ticket}")
        assert again.status_code == 401 and again.json()["code"] == "session_expired"
        with_token = await client.get("/v1/me/events", headers=person.auth)
        assert with_token.status_code == 401
