"""Partners receive pseudonymous, limited copies of events — only with consent; the example subscriber runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from services.partners.feed import pseudonym
from services.partners.settings import PartnersSettings
from tests.support.journey import complete_profile, sign_up
from tests.support.system import System, eventually

pytestmark = pytest.mark.integration
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "partners" / "example_subscriber.py"


def example_subscriber() -> ModuleType:
    spec = importlib.util.spec_from_file_location("example_subscriber", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_partners_see_consenting_people_under_a_pseudonym(system: System) -> None:
    subscriber = example_subscriber()
    topic = f"{system.prefix}partner.example-partner"
    key = PartnersSettings().keys["example-partner"].get_secret_value()
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        consenting = await sign_up(client)
        await client.put("/v1/me/consents/partner-events", headers=consenting.auth, json={"granted": True})
        silent = await sign_up(client)  # never consents
        for person in (consenting, silent):
            await complete_profile(client, person)

        consenting_alias, silent_alias = pseudonym(key, consenting.user_id), pseudonym(key, silent.user_id)
        # The system is shared with other tests: their consenting people have copies on the topic too.
        ours = {consenting_alias, silent_alias}

        async def copies_of_ours() -> list[dict[str, Any]]:
            events = await subscriber.consume(system.broker.bootstrap, topic, idle_s=2)
            return [e for e in events if e["subject"] in ours]

        async def diagnosis_copies() -> list[dict[str, Any]]:
            return [e for e in await copies_of_ours() if e["data"]["kind"] == "diagnosis"]

        copies = await eventually(diagnosis_copies, timeout=30, interval=1)
        assert {e["subject"] for e in copies} == {consenting_alias}
        raw = str(copies)
        for personal in (consenting.user_id, consenting.first_name, consenting.email or "?", "1968", "CAP_BEP"):
            assert personal not in raw
        assert copies[-1]["data"]["rome_code"] == "D1202" and copies[-1]["data"]["departement"] == "69"

        # Withdrawal stops the copies: a new diagnosis is not shared.
        before = len(await copies_of_ours())
        await client.put("/v1/me/consents/partner-events", headers=consenting.auth, json={"granted": False})
        profile = (await client.get("/v1/me/profile", headers=consenting.auth)).json()
        await client.patch(
            "/v1/me/projects/p1",
            headers=consenting.auth,
            json={"revision": profile["revision"], "project": {"seniority": "JUNIOR"}},
        )
        diagnosed = await client.get("/v1/me/diagnosis", headers=consenting.auth)
        assert diagnosed.status_code == 200
        after = [e for e in await subscriber.consume(system.broker.bootstrap, topic, idle_s=4) if e["subject"] in ours]
        assert len(after) == before
