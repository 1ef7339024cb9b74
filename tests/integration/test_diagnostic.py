"""The diagnostic service as a real process on a real broker: import, diagnose, re-import, re-diagnose, erase.

The test plays the profile service's part (it publishes ``profile-updated`` and
``user-erased`` itself), so it depends on the diagnostic service alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.contracts.profile import (
    ProfileFacts,
    ProfileUpdated,
    ProfileUpdatedData,
    ProjectFacts,
    UserErased,
)
from tests.support.system import Broker, System, command, eventually, start_system
from tests.unit.diagnostic.test_routes_and_provenance import assert_every_figure_is_labelled

pytestmark = pytest.mark.integration

SUBJECT = "u_integration_diag_1"
HEADER = (
    "AREA_CODE,AREA_NAME,AREA_TYPE_CODE,AREA_TYPE_NAME,NB_APPLICATION_END_MONTH,NB_APPLICATION_LAST_WEEK,"
    "NB_OFFER_END_MONTH,NB_OFFER_LAST_WEEK,RICHER_CATCHMENT_AREA_CODE,RICHER_CATCHMENT_AREA_NAME,"
    "ROME_PROFESSION_CARD_CODE,ROME_PROFESSION_CARD_NAME,SEASONAL,SEASONAL_APR,SEASONAL_AUG,SEASONAL_DEC,"
    "SEASONAL_FEB,SEASONAL_JAN,SEASONAL_JULY,SEASONAL_JUNE,SEASONAL_MAR,SEASONAL_MAY,SEASONAL_NOV,SEASONAL_OCT,"
    "SEASONAL_SEP,TENSION_RATIO"
)
# A re-import that says hairdressing hires very little in the Rhône.
STUCK_HAIRDRESSERS = "69,RHONE,D,Département,90,90,3,3,6901,LYON,D1202,Coiffure,N,N,N,N,N,N,N,N,N,N,N,N,N,1"


def facts(revision: int, today: date) -> ProfileUpdated:
    return ProfileUpdated(
        subject=SUBJECT,
        data=ProfileUpdatedData(
            revision=revision,
            registered_at=today,
            profile=ProfileFacts(gender="FEMININE", year_of_birth=today.year - 58, highest_degree="CAP_BEP"),
            projects=[
                ProjectFacts(
                    project_id="p1",
                    rome_code="D1202",
                    job_code_ogr="12694",
                    city_insee="69123",
                    departement="69",
                    kind="FIND_A_NEW_JOB",
                    passionate_level="LIKEABLE",
                    previous_job_similarity="DONE_THIS",
                    seniority="EXPERT",
                    job_search_started_at=today - timedelta(days=180),
                    total_interview_count=1,
                    original_self_diagnostic="missing-diploma",
                )
            ],
            preferences={"locale": "fr"},
        ),
    )


@pytest.fixture
async def system(broker: Broker, tmp_path: Path) -> AsyncIterator[System]:
    var = tmp_path / "var"
    running = await start_system(
        broker, var, services=["diagnostic"], extra_env={"DIAGNOSTIC_MARKET_RELOAD_INTERVAL_S": "0.5"}
    )
    yield running
    running.stop()


class Topic:
    """Reads one topic from the beginning, keeping what it saw."""

    def __init__(self, broker: Broker, topic: str) -> None:
        self.consumer = AIOKafkaConsumer(topic, bootstrap_servers=broker.bootstrap, auto_offset_reset="earliest")
        self.seen: list[dict[str, Any]] = []

    async def poll(self) -> list[dict[str, Any]]:
        batches = await self.consumer.getmany(timeout_ms=200)
        for records in batches.values():
            self.seen += [orjson.loads(r.value) for r in records if r.value]
        return self.seen


async def test_import_diagnose_reimport_rediagnose_and_erase(system: System, broker: Broker) -> None:
    # The service started before any import: it runs on the reference files and the market model.
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap)
    ready = Topic(broker, system.prefix + "diagnosis-ready")
    await producer.start()
    await ready.consumer.start()
    try:
        async with httpx.AsyncClient(
            base_url=system.url("diagnostic"), headers=system.internal_headers, timeout=10
        ) as client:
            market = (await client.get("/internal/market/D1202/69")).json()
            assert market["contains_estimates"] is True

            # 1. Import (no market file: every market figure is the model's), then a person's facts arrive.
            printed = command(system, "services.diagnostic.importer", "--no-market", "--quiet")
            assert "Market records: 53732" in printed
            today = date.today()
            await producer.send_and_wait(
                system.prefix + "profile-updated", facts(1, today).model_dump_json().encode(), key=SUBJECT.encode()
            )

            async def diagnosis() -> dict[str, Any] | None:
                answer = (await client.get(f"/internal/diagnoses/{SUBJECT}")).json()
                return answer[0] if answer else None

            first = await eventually(diagnosis, timeout=30)
            assert first["main_challenge"] == "enhance-methods-to-interview"
            assert first["self_diagnostic"]["relation"] == "not-a-blocker"
            assert_every_figure_is_labelled(first)
            # The model's figures decide nothing: the market is not judged, and says why.
            stuck = next(c for c in first["challenges"] if c["challenge"] == "stuck-market")
            assert [r["code"] for r in stuck["reasons"]] == ["market.not-judged"]
            assert stuck["reasons"][0]["text"].startswith("Chiffres de démonstration")
            market_part = next(s for s in first["sub_diagnostics"] if s["topic"] == "market")
            assert market_part["score"] is None
            assert [o["id"] for o in market_part["observations"]] == ["market.demo-figures"]
            events = await eventually(ready.poll, timeout=15)
            assert [e["data"]["main_challenge"] for e in events] == ["enhance-methods-to-interview"]
            assert_every_figure_is_labelled(events[0]["data"]["market"])
            assert events[0]["data"]["market"]["alternatives"] == []

            hints = (await client.get("/internal/market/D1202/69/hints")).json()["hints"]
            assert {h["kind"] for h in hints} == {"diplomas"}  # the ROME's; the rest would be invented

            # 2. Re-import with official figures for this market; the running service reloads them.
            market_dir = system.var_dir / "market"
            market_dir.mkdir()
            (market_dir / "imt_market_score.csv").write_text(HEADER + "\n" + STUCK_HAIRDRESSERS + "\n")
            printed = command(system, "services.diagnostic.importer", "--market-dir", str(market_dir), "--quiet")
            assert "imt-market-score@" in printed

            async def reloaded() -> bool:
                view = (await client.get("/internal/market/D1202/69")).json()
                tension = next(f for f in view["figures"] if f["name"] == "offers_per_10_candidates")
                return bool(tension["provenance"] == "real" and tension["value"] == 1)

            await eventually(reloaded, timeout=30)

            # 3. Re-diagnose everyone: one diagnosis changed, one event goes out through the outbox.
            printed = command(system, "services.diagnostic.rediagnose", "--quiet")
            assert "1 diagnoses changed" in printed

            async def stuck() -> dict[str, Any] | None:
                view = await diagnosis()
                return view if view is not None and view["main_challenge"] == "stuck-market" else None

            official = await eventually(stuck, timeout=15)
            assert_every_figure_is_labelled(official)
            # The verdict comes with its source: the imported official file.
            verdict = next(c for c in official["challenges"] if c["challenge"] == "stuck-market")
            [source] = verdict["sources"]
            assert source["provenance"] == "real" and source["dataset"].startswith("imt-market-score@")
            assert "IMT" in source["attribution"]
            hints = (await client.get("/internal/market/D1202/69/hints")).json()["hints"]
            competition = next(h for h in hints if h["kind"] == "competition")
            assert competition["provenance"] == "real" and not competition["is_estimate"]

            async def announced() -> list[dict[str, Any]]:
                return [e for e in await ready.poll() if e["data"]["main_challenge"] == "stuck-market"]

            [event] = await eventually(announced, timeout=15)
            tension = next(f for f in event["data"]["market"]["figures"] if f["name"] == "offers_per_10_candidates")
            assert tension["provenance"] == "real" and tension["dataset"].startswith("imt-market-score@")
            again = command(system, "services.diagnostic.rediagnose", "--quiet")
            assert "0 diagnoses changed" in again

            # 4. The person downloads their data, then erases their account.
            export = (await client.get(f"/internal/users/{SUBJECT}/export")).json()
            assert export["profile_facts"]["revision"] == 1 and len(export["diagnoses"]) == 1
            await producer.send_and_wait(
                system.prefix + "user-erased",
                UserErased(subject=SUBJECT).model_dump_json().encode(),
                key=SUBJECT.encode(),
            )

            async def erased() -> bool:
                held = (await client.get(f"/internal/users/{SUBJECT}/export")).json()
                return held["profile_facts"] is None and held["diagnoses"] == []

            await eventually(erased, timeout=15)
    finally:
        await ready.consumer.stop()
        await producer.stop()
