"""Re-diagnosis after a re-import: everyone is re-diagnosed, only changed diagnoses are announced."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import orjson
import pytest

from services.diagnostic.handlers import DiagnosticHandlers
from services.diagnostic.market_data import MarketData
from services.diagnostic.market_table import DatasetRef
from services.diagnostic.rediagnose import parse_args, rediagnose_everyone
from shared.contracts.profile import ProfileUpdated
from shared.inbox import record_erased
from shared.outbox import OUTBOX, Outbox
from shared.store.sqlite import SqliteStore
from shared.unit_of_work import unit_of_work
from tests.unit.diagnostic.builders import basis, born, project, started

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
LYON, PARIS, GONE = "u_person_in_lyon_1", "u_person_in_paris1", "u_person_erased_1"


def facts(rome: str, city: str, dep: str) -> ProfileUpdated:
    data = basis(
        project(
            rome_code=rome,
            job_code_ogr=None,
            city_insee=city,
            departement=dep,
            passionate_level="LIKEABLE",
            previous_job_similarity="DONE_THIS",
            seniority="EXPERT",
            job_search_started_at=started(6),
            total_interview_count=1,
        ),
        year_of_birth=born(50),
        highest_degree="CAP_BEP",
    )
    return ProfileUpdated(subject={"69": LYON, "75": PARIS}.get(dep, GONE), data=data)


@pytest.fixture
async def store(market_data: MarketData) -> AsyncIterator[SqliteStore]:
    opened = SqliteStore(":memory:")
    handlers = DiagnosticHandlers(lambda: market_data)
    for event in (facts("D1202", "69123", "69"), facts("D1202", "75056", "75"), facts("D1202", "13055", "13")):
        async with unit_of_work(opened, Outbox(), lambda: NOW) as uow:
            await handlers.on_profile_updated(event, uow)
    async with unit_of_work(opened, Outbox(), lambda: NOW) as uow:
        await record_erased(uow, GONE, NOW)  # erased while their facts were still being read
    await opened.collection(OUTBOX).delete({})
    yield opened
    await opened.close()


def reimported(market: MarketData, rome: str, dep: str, offers: float) -> MarketData:
    """Return the market data after a re-import that changed one pair's tension."""
    table = copy.deepcopy(market.table)
    table.put(
        rome, dep, "offers_per_10_candidates", offers, table.dataset_index(DatasetRef("imt-market-score@new", "real"))
    )
    return MarketData(market.reference, table, market.datasets, "store", "new-import")


async def test_only_changed_diagnoses_are_announced_through_the_outbox(
    store: SqliteStore, market_data: MarketData
) -> None:
    unchanged = await rediagnose_everyone(store, Outbox(), market_data, progress=False)
    assert (unchanged.people, unchanged.changed) == (2, 0)
    assert await store.collection(OUTBOX).count() == 0

    report = await rediagnose_everyone(store, Outbox(), reimported(market_data, "D1202", "69", 1.0), progress=False)
    assert (report.people, report.projects, report.changed) == (2, 2, 1)
    [row] = await store.collection(OUTBOX).find()
    event = orjson.loads(row["value"])
    assert row["key"] == LYON and event["event_type"] == "diagnosis-ready"
    assert event["data"]["main_challenge"] == "stuck-market"
    tension = next(f for f in event["data"]["market"]["figures"] if f["name"] == "offers_per_10_candidates")
    assert (tension["provenance"], tension["dataset"]) == ("real", "imt-market-score@new")

    again = await rediagnose_everyone(store, Outbox(), reimported(market_data, "D1202", "69", 1.0), progress=False)
    assert again.changed == 0


async def test_an_erased_person_is_not_brought_back(store: SqliteStore, market_data: MarketData) -> None:
    await rediagnose_everyone(store, Outbox(), reimported(market_data, "D1202", "13", 1.0), progress=False)
    assert await store.collection(OUTBOX).count({"key": GONE}) == 0


def test_the_command_line_has_help() -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--help"])
    assert exit_info.value.code == 0
    assert parse_args(["--publish"]).publish


def test_the_importer_command_line_has_help_and_options() -> None:
    from services.diagnostic.importer.__main__ import parse_args as importer_args

    with pytest.raises(SystemExit) as exit_info:
        importer_args(["--help"])
    assert exit_info.value.code == 0
    args = importer_args(["--no-market", "--quiet", "--store-url", "sqlite:///x.sqlite3"])
    assert args.no_market and args.quiet and args.market_dir is None
