"""The internal API, and the promises about synthetic figures: none reaches a person unlabelled, and
none is ground for a finding (the only observation citing the market model says so plainly)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.diagnostic.handlers import DiagnosticHandlers
from services.diagnostic.market_data import MarketData
from services.diagnostic.routes import router
from services.diagnostic.state import DiagnosticState
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import ProfileUpdated
from shared.contracts.vocabulary import Locale
from shared.outbox import Outbox
from shared.problems import install_problem_handlers
from shared.store.sqlite import SqliteStore
from shared.unit_of_work import unit_of_work
from tests.unit.diagnostic.builders import SUBJECT, basis, born, project, started
from tests.unit.diagnostic.personas import PERSONAS

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
ESTIMATE_MARKS = ("(estimation)", "(estimate)")
# The one observation allowed to cite the market model: the notice that its figures are demonstration ones.
DEMONSTRATION_NOTICE = "market.demo-figures"
DEMONSTRATION_WORDS = ("Chiffres de démonstration", "Demonstration figures")


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Yield every JSON object of a document."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def assert_every_figure_is_labelled(document: Any) -> None:
    """Fail when a figure, an alternative or an observation comes without its provenance, or when a
    finding stands on a figure of the market model."""
    for obj in walk(document):
        if "provenance" in obj:
            assert obj["provenance"] in ("real", "synthetic", "declared"), obj
            assert obj.get("dataset") or obj.get("id"), obj  # a figure names its dataset; a dataset is one
            if "is_estimate" in obj:
                assert obj["is_estimate"] == (obj["provenance"] == "synthetic"), obj
        if "offers_per_10_candidates" in obj or ("name" in obj and "value" in obj):
            assert "provenance" in obj and obj.get("dataset"), obj
        if "attention_needed" in obj:  # an observation, in the API or in an event
            assert obj["sources"], obj
            synthetic = any(s["provenance"] == "synthetic" for s in obj["sources"])
            if synthetic:  # only the notice cites the model, and it judges nothing
                assert obj["id"] == DEMONSTRATION_NOTICE and obj["attention_needed"] is False, obj
            if "text" in obj:
                assert obj["contains_estimates"] == synthetic, obj
                assert not obj["text"].endswith(ESTIMATE_MARKS), obj["text"]
                assert obj["text"].startswith(DEMONSTRATION_WORDS) == synthetic, obj["text"]
        if "reasons" in obj and "status_label" in obj:  # a challenge: no verdict stands on an estimate
            assert all(s["provenance"] != "synthetic" for s in obj["sources"]), obj


@pytest.fixture
async def service(market_data: MarketData) -> AsyncIterator[tuple[httpx.AsyncClient, SimpleNamespace]]:
    store = SqliteStore(":memory:")
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(router)
    runtime = SimpleNamespace(store=store, state=DiagnosticState(market=market_data), clock=lambda: NOW)
    app.state.runtime = runtime
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://diagnostic") as client:
        yield client, runtime
    await store.close()


async def diagnose_person(runtime: SimpleNamespace, market: MarketData, locale: str = "fr@tu") -> list[DiagnosisReady]:
    data = basis(
        project(
            passionate_level="LIKEABLE",
            previous_job_similarity="DONE_THIS",
            seniority="EXPERT",
            job_search_started_at=started(6),
            total_interview_count=1,
            original_self_diagnostic="stuck-market",
            min_salary=40_000,
            employment_types=["CDI"],
            network_estimate=1,
        ),
        locale=locale,
        year_of_birth=born(58),
        highest_degree="CAP_BEP",
        gender="FEMININE",
    )
    async with unit_of_work(runtime.store, Outbox(), lambda: NOW) as uow:
        await DiagnosticHandlers(lambda: market).on_profile_updated(ProfileUpdated(subject=SUBJECT, data=data), uow)
        return [e for e in uow.events if isinstance(e, DiagnosisReady)]


async def test_the_diagnosis_is_read_in_the_persons_locale_with_reasons_and_sources(
    service: tuple[httpx.AsyncClient, SimpleNamespace], market_data: MarketData
) -> None:
    client, runtime = service
    await diagnose_person(runtime, market_data)
    response = await client.get(f"/internal/diagnoses/{SUBJECT}")
    assert response.status_code == 200
    [view] = response.json()
    assert view["locale"] == "fr@tu" and view["main_challenge"]
    assert "Tu" in view["overall_sentence"] or "tu" in view["overall_sentence"] or "ta " in view["overall_sentence"]
    assert view["self_diagnostic"]["guess"] == "stuck-market"
    assert all(c["reasons"] or c["status"] in ("missing-data", "not-relevant") for c in view["challenges"])
    assert view["contains_estimates"] is True
    assert_every_figure_is_labelled(view)
    english = (await client.get(f"/internal/diagnoses/{SUBJECT}", params={"locale": "en"})).json()[0]
    assert english["locale"] == "en" and english["overall_sentence"] != view["overall_sentence"]


async def test_the_market_api_gives_figures_series_and_datasets(
    service: tuple[httpx.AsyncClient, SimpleNamespace],
) -> None:
    client, _ = service
    response = await client.get("/internal/market/D1202/69")
    assert response.status_code == 200
    view = response.json()
    assert view["job_label"] == "Coiffure" and view["departement_name"] == "Rhône (69)"
    assert [p["month"] for p in view["seasonality"]["points"]] == list(range(1, 13))
    nearby = view["tension_nearby"]
    assert any(p["is_selected"] for p in nearby) and len(nearby) > 3
    assert [p["offers_per_10_candidates"] for p in nearby] == sorted(
        (p["offers_per_10_candidates"] for p in nearby), reverse=True
    )
    datasets = {d["id"]: d for d in view["datasets"]}
    assert datasets["market-model@1"]["provenance"] == "synthetic"
    assert "ROME" in datasets["rome@v3.47"]["attribution"]
    assert view["contains_estimates"] is True
    assert_every_figure_is_labelled(view)


@pytest.mark.parametrize("locale", ["fr", "fr@tu", "en"])
async def test_onboarding_hints_say_where_each_fact_comes_from_and_invent_nothing(
    service: tuple[httpx.AsyncClient, SimpleNamespace], locale: str
) -> None:
    client, _ = service
    response = await client.get("/internal/market/D1202/69/hints", params={"locale": locale})
    assert response.status_code == 200
    hints = response.json()["hints"]
    # Nothing imported: competition, salary, contract and best months would all be the model's.
    assert {h["kind"] for h in hints} == {"diplomas"}
    for hint in hints:
        assert hint["is_estimate"] is False and not hint["text"].endswith(ESTIMATE_MARKS), hint
    diplomas = next(h for h in hints if h["kind"] == "diplomas")
    assert diplomas["provenance"] == "real" and "CAP" in diplomas["text"]
    assert_every_figure_is_labelled(hints)


async def test_unknown_codes_are_refused_clearly(service: tuple[httpx.AsyncClient, SimpleNamespace]) -> None:
    client, _ = service
    assert (await client.get("/internal/market/A9999/69")).status_code == 404
    assert (await client.get("/internal/market/D1202/99")).json() == {
        "code": "not_found",
        "params": {"what": "département 99"},
    }
    assert (await client.get("/internal/market/d1202/69")).status_code == 422


async def test_the_market_api_waits_for_the_data(service: tuple[httpx.AsyncClient, SimpleNamespace]) -> None:
    client, runtime = service
    runtime.state.market = None
    assert (await client.get("/internal/market/D1202/69")).status_code == 503


async def test_the_export_holds_everything_about_the_person(
    service: tuple[httpx.AsyncClient, SimpleNamespace], market_data: MarketData
) -> None:
    client, runtime = service
    await diagnose_person(runtime, market_data)
    export = (await client.get(f"/internal/users/{SUBJECT}/export")).json()
    assert export["subject"] == SUBJECT and export["service"] == "diagnostic"
    assert export["profile_facts"]["basis"]["profile"]["year_of_birth"] == born(58)
    assert len(export["diagnoses"]) == 1
    empty = (await client.get("/internal/users/u_nobody_here_0/export")).json()
    assert empty["profile_facts"] is None and empty["diagnoses"] == []


async def test_events_carry_provenance_for_every_figure_and_observation(
    service: tuple[httpx.AsyncClient, SimpleNamespace], market_data: MarketData
) -> None:
    _, runtime = service
    [event] = await diagnose_person(runtime, market_data)
    document = event.model_dump(mode="json")
    assert_every_figure_is_labelled(document["data"]["market"])
    assert_every_figure_is_labelled(document["data"]["observations"])
    # Nothing imported: no close job or other place is suggested from the model's figures.
    assert document["data"]["market"]["alternatives"] == []


@pytest.mark.parametrize("persona", PERSONAS[:12], ids=lambda p: p.id)
async def test_real_market_diagnoses_of_personas_are_labelled(persona: Any, market_data: MarketData) -> None:
    from services.diagnostic.diagnose import diagnose
    from services.diagnostic.render import Renderer
    from tests.unit.diagnostic.builders import TODAY

    the_project = project(**persona.project)
    facts = market_data.facts(the_project.rome_code, the_project.departement)
    diagnosis = diagnose(basis(the_project, **persona.profile), the_project, facts, TODAY)
    view = Renderer(locale=Locale.FR, market=market_data).diagnosis(diagnosis, diagnosis_id="d", fingerprint="f")
    assert_every_figure_is_labelled(view.model_dump(mode="json"))


async def test_diagnoses_stored_in_an_older_format_are_not_shown(
    service: tuple[httpx.AsyncClient, SimpleNamespace],
) -> None:
    client, runtime = service
    foundation = {"project_id": "p1", "profile_revision": 1, "main_challenge": "bravo", "overall_score": 70}
    await runtime.store.collection("diagnoses").put(
        {
            "_id": f"{SUBJECT}:p1",
            "subject": SUBJECT,
            "profile_revision": 1,
            "fingerprint": "x",
            "diagnosis": foundation,
            "diagnosed_at": "2026-11-01T00:00:00.000000+00:00",
        }
    )
    assert (await client.get(f"/internal/diagnoses/{SUBJECT}")).json() == []
