"""After a quiet spell the consumers poll slowly (shared/pace.py); the first save must still go through promptly."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.journey import complete_profile, sign_up
from tests.support.system import Broker, System, eventually, start_system

pytestmark = pytest.mark.integration

CONSUMERS = ("diagnostic", "advice")
# From the save to the diagnosis and the plan, through two consumers polling at the idle pace (500 ms
# fetch wait, 250 ms batch loop) and the outbox relays: well under this, even on a busy machine.
FIRST_EVENT_WITHIN_S = 6.0


@pytest.fixture
async def quiet_system(broker: Broker, tmp_path: Path) -> AsyncIterator[System]:
    running = await start_system(
        broker,
        tmp_path / "var",
        services=["profile", *CONSUMERS, "gateway"],
        extra_env={"KAFKA_IDLE_AFTER_S": "1"},  # idle after 1 s instead of 10: the test does not wait that long
    )
    yield running
    running.stop()


async def polls_at_idle_pace(client: httpx.AsyncClient, system: System, service: str) -> bool:
    metrics = (await client.get(system.metrics_url(service))).text
    return "coach_consumer_idle 1.0" in metrics


async def test_the_first_save_after_a_quiet_spell_is_diagnosed_and_planned_promptly(quiet_system: System) -> None:
    async with httpx.AsyncClient(base_url=quiet_system.url("gateway"), timeout=15) as client:
        person = await sign_up(client)
        for service in CONSUMERS:
            await eventually(lambda s=service: polls_at_idle_pace(client, quiet_system, s), timeout=30)

        saved_at = time.monotonic()
        await complete_profile(client, person)

        async def planned() -> list[object]:
            return list((await client.get("/v1/me/plan", headers=person.auth)).json().get("actions", []))

        assert await eventually(planned, timeout=FIRST_EVENT_WITHIN_S, interval=0.05)
        # The plan follows the diagnosis: both consumers were woken from the idle pace.
        assert time.monotonic() - saved_at <= FIRST_EVENT_WITHIN_S
        print(f"first save after a quiet spell planned in {time.monotonic() - saved_at:.2f} s")
