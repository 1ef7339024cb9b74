"""Both market modes through the public API: official figures give a verdict with its source, demonstration
figures give none and say so, in the same running system (issue 18, "no verdict from invented figures")."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.integration.test_diagnostic import HEADER, STUCK_HAIRDRESSERS
from tests.support.journey import Person, complete_profile, sign_up
from tests.support.system import Broker, System, command, eventually, start_system

pytestmark = pytest.mark.integration

LILLE = "59350"  # the same job where no official figure was imported


@pytest.fixture(scope="module")
async def system(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    var = tmp_path_factory.mktemp("market-modes") / "var"
    running = await start_system(
        broker,
        var,
        services=["profile", "diagnostic", "gateway"],
        extra_env={"DIAGNOSTIC_MARKET_RELOAD_INTERVAL_S": "0.5"},
    )
    # An operator imports the official figures of one market: hairdressing in the Rhône hires very little.
    market_dir = var / "market"
    market_dir.mkdir()
    (market_dir / "imt_market_score.csv").write_text(HEADER + "\n" + STUCK_HAIRDRESSERS + "\n")
    printed = command(running, "services.diagnostic.importer", "--market-dir", str(market_dir), "--quiet")
    assert "imt-market-score@" in printed
    yield running
    running.stop()


async def diagnosis_of(client: httpx.AsyncClient, person: Person) -> dict[str, Any]:
    async def found() -> dict[str, Any] | None:
        answer = (await client.get("/v1/me/diagnosis", headers=person.auth)).json()
        return answer[0] if answer and answer[0].get("main_challenge") else None

    view: dict[str, Any] = await eventually(found, timeout=60)
    return view


async def test_official_figures_give_a_sourced_verdict_and_demonstration_figures_none(system: System) -> None:
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=30) as client:

        async def official_loaded() -> bool:
            view = (await client.get("/v1/market/D1202/69")).json()
            tension = next(f for f in view["figures"] if f["name"] == "offers_per_10_candidates")
            return bool(tension["provenance"] == "real")

        await eventually(official_loaded, timeout=60)

        # In Lyon, the official file decides: the market is stuck, and the verdict names its source.
        lyon = await sign_up(client)
        await complete_profile(client, lyon)
        official = await diagnosis_of(client, lyon)
        assert official["main_challenge"] == "stuck-market"
        verdict = next(c for c in official["challenges"] if c["challenge"] == "stuck-market")
        assert [s["provenance"] for s in verdict["sources"]] == ["real"]
        assert verdict["sources"][0]["dataset"].startswith("imt-market-score@")
        market_part = next(s for s in official["sub_diagnostics"] if s["topic"] == "market")
        assert market_part["score"] is not None

        # In Lille nothing official is loaded: the same job's market is not judged, and the text says why.
        lille = await sign_up(client)
        await complete_profile(client, lille, project={"city_insee": LILLE})
        demo = await diagnosis_of(client, lille)
        assert demo["main_challenge"] != "stuck-market"
        stuck = next(c for c in demo["challenges"] if c["challenge"] == "stuck-market")
        assert [r["code"] for r in stuck["reasons"]] == ["market.not-judged"]
        assert stuck["reasons"][0]["text"].startswith("Chiffres de démonstration")
        market_part = next(s for s in demo["sub_diagnostics"] if s["topic"] == "market")
        assert market_part["score"] is None
        assert demo["contains_estimates"] is True
