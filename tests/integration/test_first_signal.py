"""The first real signal through every hop: HTTP → profile → diagnostic → advice → notifications/volunteers."""

from __future__ import annotations

import httpx
import pytest

from tests.support.journey import complete_profile, sign_up
from tests.support.system import System, eventually

pytestmark = pytest.mark.integration
INTERNAL = {"authorization": "Bearer development-only-internal-token"}


async def test_signup_reaches_every_service_and_sends_an_email(system: System) -> None:
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        person = await sign_up(client)
        await complete_profile(client, person)

        mails = await eventually(system.mails, timeout=15)
        assert any(person.email in m.read_text(errors="replace") for m in mails)

        async def diagnosed() -> list[dict[str, object]]:
            found = (await client.get("/v1/me/diagnosis", headers=person.auth)).json()
            return [d for d in found if d.get("main_challenge")]

        diagnosis = await eventually(diagnosed, timeout=15)
        assert diagnosis[0]["main_challenge"]

        async def planned() -> list[object]:
            return list((await client.get("/v1/me/plan", headers=person.auth)).json().get("actions", []))

        assert await eventually(planned, timeout=15)
