"""The diagnostic service's internal HTTP API (the gateway exposes it under /v1)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from services.diagnostic.market_data import MarketData
from services.diagnostic.market_views import hints_view, market_view
from services.diagnostic.models import diagnosis_from_json
from services.diagnostic.render import Renderer
from services.diagnostic.repository import DIAGNOSES, DIAGNOSIS_FORMAT, PEOPLE, person_export
from services.diagnostic.state import DiagnosticRuntime
from shared.contracts.api.diagnostic import DatasetView, DiagnosisView, HintsView, MarketView, PersonExport
from shared.contracts.vocabulary import Gender, Locale
from shared.service import RuntimeDep

router = APIRouter(prefix="/internal")

RomeCode = Annotated[str, Path(pattern=r"^[A-N][0-9]{4}$", examples=["K2204"])]
DepartementCode = Annotated[str, Path(pattern=r"^([0-9]{2}|2A|2B|97[0-9])$", examples=["69"])]
LocaleQuery = Annotated[Locale | None, Query(description="fr (vous), fr@tu (tu) or en; default: the person's.")]


def market_of(runtime: DiagnosticRuntime) -> MarketData:
    """Return the market data loaded at startup, or answer 503 while it loads."""
    if runtime.state.market is None:
        raise HTTPException(status_code=503, detail="market data is loading")
    return runtime.state.market


@router.get("/diagnoses/{subject}", response_model=list[DiagnosisView])
async def diagnoses_of(subject: str, runtime: RuntimeDep, locale: LocaleQuery = None) -> list[DiagnosisView]:
    """Return the person's current diagnoses, one per project, with texts, reasons and sources."""
    docs = await runtime.store.collection(DIAGNOSES).find({"subject": subject}, sort=[("_id", 1)])
    person = await runtime.store.collection(PEOPLE).get(subject)
    preferences = (person or {}).get("basis", {}).get("preferences", {})
    gender = Gender((person or {}).get("basis", {}).get("profile", {}).get("gender", Gender.UNKNOWN))
    renderer = Renderer(
        locale=locale or Locale(preferences.get("locale", Locale.FR)),
        gender=gender,
        market=runtime.state.market,
    )
    return [
        renderer.diagnosis(
            diagnosis_from_json(doc["diagnosis"]),
            diagnosis_id=doc["_id"],
            fingerprint=doc["fingerprint"],
            diagnosed_at=datetime.fromisoformat(doc["diagnosed_at"]),
        )
        for doc in docs
        if doc.get("format") == DIAGNOSIS_FORMAT
    ]


@router.get("/users/{subject}/export", response_model=PersonExport)
async def export_person(subject: str, runtime: RuntimeDep) -> PersonExport:
    """Return everything the service holds about the person (their right of access)."""
    held = await person_export(runtime.store, subject)
    return PersonExport(subject=subject, exported_at=runtime.clock(), **held)


@router.get("/market/{rome}/{departement}", response_model=MarketView)
async def market_of_job(
    rome: RomeCode, departement: DepartementCode, runtime: RuntimeDep, locale: LocaleQuery = None
) -> MarketView:
    """Return the market figures of a job group in a département, their provenance and chart series."""
    market = market_of(runtime)
    return market_view(market, Renderer(locale=locale or Locale.FR, market=market), rome, departement)


@router.get("/market/{rome}/{departement}/hints", response_model=HintsView)
async def market_hints(
    rome: RomeCode, departement: DepartementCode, runtime: RuntimeDep, locale: LocaleQuery = None
) -> HintsView:
    """Return quick onboarding hints (competition, salary, diplomas, contract, best months) with sources."""
    market = market_of(runtime)
    return hints_view(market, Renderer(locale=locale or Locale.FR, market=market), rome, departement)


@router.get("/datasets", response_model=list[DatasetView])
async def datasets(runtime: RuntimeDep) -> list[DatasetView]:
    """Return every dataset the service uses, with its version, licence and attribution."""
    market = market_of(runtime)
    return [
        DatasetView(
            id=i.id,
            name=i.name,
            version=i.version,
            provenance=i.provenance,
            licence=i.licence,
            attribution=i.attribution,
            period=i.period,
            imported_at=i.imported_at,
        )
        for i in sorted(market.datasets.values(), key=lambda i: i.id)
    ]
