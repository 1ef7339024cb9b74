"""The handlers: keep the facts, publish only changes, erase everything, export everything."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from services.diagnostic.handlers import DiagnosticHandlers
from services.diagnostic.market_data import MarketData
from services.diagnostic.repository import DIAGNOSES, PEOPLE, person_export
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import ProfileUpdated, ProfileUpdatedData, UserErased
from shared.outbox import Outbox
from shared.store.sqlite import SqliteStore
from shared.unit_of_work import unit_of_work
from tests.unit.diagnostic.builders import SUBJECT, basis, born, project, started

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
async def store() -> AsyncIterator[SqliteStore]:
    opened = SqliteStore(":memory:")
    yield opened
    await opened.close()


def updated(data: ProfileUpdatedData, subject: str = SUBJECT) -> ProfileUpdated:
    return ProfileUpdated(subject=subject, data=data)


def person(revision: int = 1, **project_fields: object) -> ProfileUpdatedData:
    fields = {
        "passionate_level": "LIKEABLE",
        "previous_job_similarity": "DONE_THIS",
        "seniority": "EXPERT",
        "job_search_started_at": started(6),
        "total_interview_count": 1,
        **project_fields,
    }
    return basis(
        project(**fields), revision=revision, year_of_birth=born(58), highest_degree="CAP_BEP", gender="FEMININE"
    )


async def apply(store: SqliteStore, market: MarketData, event: ProfileUpdated | UserErased) -> list[DiagnosisReady]:
    handlers = DiagnosticHandlers(lambda: market)
    async with unit_of_work(store, Outbox(), lambda: NOW) as uow:
        if isinstance(event, ProfileUpdated):
            await handlers.on_profile_updated(event, uow)
        else:
            await handlers.on_user_erased(event, uow)
        return [e for e in uow.events if isinstance(e, DiagnosisReady)]


async def test_a_new_diagnosis_is_published_with_market_challenges_and_sources(
    store: SqliteStore, market_data: MarketData
) -> None:
    [event] = await apply(store, market_data, updated(person()))
    data = event.data
    assert data.main_challenge is not None
    assert data.challenges[0].challenge.value == "undefined-project" and len(data.challenges) == 7
    assert data.market is not None and data.market.figures and data.market.requirements is not None
    assert all(f.provenance in ("real", "synthetic") and f.dataset for f in data.market.figures)
    assert data.observations and all(o.sources for o in data.observations)
    assert data.overall_sentence and data.sub_scores
    assert data.basis.revision == 1


async def test_the_same_result_is_not_published_twice(store: SqliteStore, market_data: MarketData) -> None:
    assert len(await apply(store, market_data, updated(person(1)))) == 1
    assert await apply(store, market_data, updated(person(2))) == []  # new revision, same result
    changed = await apply(store, market_data, updated(person(3, total_interview_count=20)))
    assert len(changed) == 1


async def test_an_older_revision_arriving_late_changes_nothing(store: SqliteStore, market_data: MarketData) -> None:
    await apply(store, market_data, updated(person(5)))
    assert await apply(store, market_data, updated(person(4, total_interview_count=20))) == []
    kept = await store.collection(PEOPLE).get(SUBJECT)
    assert kept is not None and kept["revision"] == 5


async def test_a_removed_project_loses_its_diagnosis(store: SqliteStore, market_data: MarketData) -> None:
    two = basis(project(), project(project_id="p2", rome_code="K2204"))
    await apply(store, market_data, updated(two))
    assert await store.collection(DIAGNOSES).count({"subject": SUBJECT}) == 2
    await apply(store, market_data, updated(basis(project(), revision=2)))
    assert [d["project_id"] for d in await store.collection(DIAGNOSES).find({"subject": SUBJECT})] == ["p1"]


async def test_erasure_deletes_everything_about_the_person_and_only_them(
    store: SqliteStore, market_data: MarketData
) -> None:
    await apply(store, market_data, updated(person()))
    await apply(store, market_data, updated(person(), subject="u_other_person_01"))
    before = await person_export(store, SUBJECT)
    assert before["profile_facts"] is not None and len(before["diagnoses"]) == 1
    await apply(store, market_data, UserErased(subject=SUBJECT))
    assert await person_export(store, SUBJECT) == {"profile_facts": None, "diagnoses": []}
    other = await person_export(store, "u_other_person_01")
    assert other["profile_facts"] is not None and len(other["diagnoses"]) == 1
