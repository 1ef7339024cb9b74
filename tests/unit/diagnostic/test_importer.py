"""The import into the service's store: everything with its provenance, idempotent, loaded back by the service."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.diagnostic.importer.run import ImportSummary, run_import
from services.diagnostic.market_data import load_market_data
from services.diagnostic.repository import (
    COMMUNES,
    DATASETS,
    DEPARTEMENTS,
    DOMAINS,
    FAP_CODES,
    IMPORTS,
    JOB_GROUPS,
    JOB_TITLES,
    LATEST_IMPORT,
    MARKET_OBSERVATIONS,
    MARKET_RECORDS,
    NAF_CODES,
    PCS_CODES,
    REGIONS,
    ROME_FAP,
    ROME_ISCO,
    SKILLS,
    WORK_ENVIRONMENTS,
)
from shared.store.sqlite import SqliteStore
from tests.unit.diagnostic.conftest import SAMPLES

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
async def imported(
    data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[SqliteStore, ImportSummary, str]]:
    store = SqliteStore(tmp_path_factory.mktemp("import") / "diagnostic.sqlite3")
    out = io.StringIO()
    summary = await run_import(store, data_dir, SAMPLES, now=NOW, progress=False, out=out)
    yield store, summary, out.getvalue()
    await store.close()


pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_every_reference_list_is_imported_in_full(imported: tuple[SqliteStore, ImportSummary, str]) -> None:
    store, _, _ = imported
    expected = {
        JOB_GROUPS: 532,
        JOB_TITLES: 10_990,
        SKILLS: 4_947,
        WORK_ENVIRONMENTS: 763,
        DOMAINS: 656,
        COMMUNES: 35_014,
        DEPARTEMENTS: 101,
        REGIONS: 26,
        FAP_CODES: 339,
        ROME_ISCO: 532,
        NAF_CODES: 732,
        PCS_CODES: 557,
        MARKET_RECORDS: 532 * 101,
    }
    for collection, count in expected.items():
        assert await store.collection(collection).count() == count, collection
    assert await store.collection(ROME_FAP).count() > 532
    l1510 = await store.collection(JOB_GROUPS).get("L1510")
    assert l1510 is not None and l1510["label"]
    hairdresser = await store.collection(JOB_GROUPS).get("D1202")
    assert hairdresser is not None
    assert hairdresser["requirement"]["degree_rank"] == 1
    assert "''" not in " ".join(hairdresser["access"])  # apostrophes unescaped
    assert ["D1208", "close-job"] in hairdresser["mobility"]
    assert hairdresser["riasec"][0] and hairdresser["key_skills"] and hairdresser["fap"] == ["T0Z60"]
    rhone = await store.collection(DEPARTEMENTS).get("69")
    assert rhone is not None and rhone["population"] > 1_800_000 and rhone["neighbours"][0][0] == "42"


async def test_every_dataset_is_stored_with_name_version_licence_and_attribution(
    imported: tuple[SqliteStore, ImportSummary, str],
) -> None:
    store, summary, printed = imported
    docs = {d["_id"]: d for d in await store.collection(DATASETS).find()}
    assert {"rome", "cog", "crosswalks", "market-model", "imt-market-score", "bmo", "application-modes"} <= set(docs)
    for doc in docs.values():
        assert doc["id"] == f"{doc['name']}@{doc['version']}"
        assert doc["licence"] and doc["attribution"] and doc["provenance"] in ("real", "synthetic")
    assert docs["market-model"]["provenance"] == "synthetic"
    assert docs["imt-monthly"]["rows_rejected"] == 34 and docs["imt-monthly"]["period"] == "2011-01..2014-12"
    assert "Market records: 53732" in printed and "imt-market-score@" in printed
    assert summary.real_figures > 53_732  # the ROME diploma level everywhere, plus the imported samples


async def test_imported_figures_replace_the_model_and_say_so(imported: tuple[SqliteStore, ImportSummary, str]) -> None:
    store, _, _ = imported
    record = await store.collection(MARKET_RECORDS).get("F1702:09")
    assert record is not None
    value, dataset = record["figures"]["offers_per_10_candidates"]
    assert value == 9 and dataset.startswith("imt-market-score@")
    assert record["figures"]["cdi_share"][1].startswith("imt-employment-type@")
    assert record["figures"]["job_seekers"][1] == "market-model@1"
    observation = await store.collection(MARKET_OBSERVATIONS).get("imt-market-score:F1702:09")
    assert observation is not None and observation["figures"]["offers_per_10_candidates"] == 9


async def test_the_service_loads_what_was_imported(
    imported: tuple[SqliteStore, ImportSummary, str], data_dir: Path
) -> None:
    store, summary, _ = imported
    market = await load_market_data(store, data_dir)
    assert market.origin == "store" and market.stamp == summary.stamp
    facts = market.facts("F1702", "09")
    assert facts is not None
    tension = next(f for f in facts.figures if f.name == "offers_per_10_candidates")
    assert (tension.value, tension.provenance) == (9, "real")
    assert market.dataset(tension.dataset) is not None
    season = market.table.seasonality("A1101", "01")
    assert season is not None and season[1].provenance == "real"


async def test_importing_again_changes_nothing(
    imported: tuple[SqliteStore, ImportSummary, str], data_dir: Path
) -> None:
    store, first, _ = imported
    record = await store.collection(MARKET_RECORDS).get("D1202:69")
    again = await run_import(store, data_dir, SAMPLES, now=NOW, progress=False)
    assert again.stamp == first.stamp
    assert await store.collection(MARKET_RECORDS).count() == 532 * 101
    assert await store.collection(MARKET_RECORDS).get("D1202:69") == record
    latest = await store.collection(IMPORTS).get(LATEST_IMPORT)
    assert latest is not None and latest["stamp"] == first.stamp
