"""Public routes for the local labour market (served by the diagnostic service), and the diagnosis."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from services.gateway.deps import CurrentUser, ServicesDep
from services.gateway.problems import PROBLEM_RESPONSES, language
from shared.contracts.api.diagnostic import DatasetView, DiagnosisView, HintsView, MarketView
from shared.contracts.vocabulary import Locale

router = APIRouter(tags=["market"], responses=PROBLEM_RESPONSES)
RomeCode = Annotated[str, Path(pattern=r"^[A-N][0-9]{4}$", examples=["K2204"])]
DepartementCode = Annotated[str, Path(pattern=r"^([0-9]{2}|2A|2B|97[0-9])$", examples=["69"])]
LocaleQuery = Annotated[Locale | None, Query(description="fr (vous), fr@tu (tu) or en; default: Accept-Language.")]


def _locale(request: Request, locale: Locale | None) -> str:
    return (locale or (Locale.EN if language(request) else Locale.FR)).value


@router.get("/v1/me/diagnosis", response_model=list[DiagnosisView], tags=["me"])
async def read_diagnosis(user: CurrentUser, services: ServicesDep, locale: LocaleQuery = None) -> Any:
    """Return the diagnosis of each project: main challenge, score, observations with their reasons and sources."""
    return await services.diagnostic.read_diagnoses(user.user_id, locale=locale)


@router.get("/v1/market/{rome}/{departement}", response_model=MarketView)
async def market(
    rome: RomeCode, departement: DepartementCode, request: Request, services: ServicesDep, locale: LocaleQuery = None
) -> Any:
    """Return a job group's figures in a département, each with its source (real or estimated), and chart series."""
    return await services.diagnostic.read_market(rome, departement, locale=_locale(request, locale))


@router.get("/v1/market/{rome}/{departement}/hints", response_model=HintsView)
async def hints(
    rome: RomeCode, departement: DepartementCode, request: Request, services: ServicesDep, locale: LocaleQuery = None
) -> Any:
    """Return quick hints for the questionnaire: competition, salary, diplomas, contracts, best months."""
    return await services.diagnostic.read_hints(rome, departement, locale=_locale(request, locale))


@router.get("/v1/market/datasets", response_model=list[DatasetView])
async def datasets(services: ServicesDep) -> Any:
    """Return the datasets behind the figures: name, version, licence and attribution."""
    return await services.diagnostic.list_datasets()
