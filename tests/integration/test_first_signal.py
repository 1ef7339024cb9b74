"""The first real signal through every hop: HTTP → profile → diagnostic → advice → notifications/volunteers."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.support.journey import complete_profile, sign_up
from tests.support.mail import read_mail
from tests.support.system import System, eventually

pytestmark = pytest.mark.integration
EMAIL_WITHIN_S = 10.0  # from the sign-up request to the email file in the mail directory (issue 2)


async def test_signup_reaches_every_service_and_sends_an_email(system: System) -> None:
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        signed_up_at = time.monotonic()
        person = await sign_up(client)
        await complete_profile(client, person)  # the welcome email names the first diagnosis

        def mails_to_the_person() -> list[Path]:
            return [m for m in system.mails() if (person.email or "?") in read_mail(m).to]

        await eventually(mails_to_the_person, timeout=EMAIL_WITHIN_S - (time.monotonic() - signed_up_at))
        assert time.monotonic() - signed_up_at <= EMAIL_WITHIN_S

        async def diagnosed() -> list[dict[str, object]]:
            found = (await client.get("/v1/me/diagnosis", headers=person.auth)).json()
            return [d for d in found if d.get("main_challenge")]

        diagnosis = await eventually(diagnosed, timeout=15)
        assert diagnosis[0]["main_challenge"]

        async def planned() -> list[object]:
            return list((await client.get("/v1/me/plan", headers=person.auth)).json().get("actions", []))

        assert await eventually(planned, timeout=15)
