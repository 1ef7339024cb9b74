"""Reference data for forms: job-title and city autocomplete (answered from memory, no service call)."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from services.gateway.problems import PROBLEM_RESPONSES
from shared.contracts.text import TypedText
from shared.reference.geo import GEO_ATTRIBUTION
from shared.reference.rome import ROME_ATTRIBUTION

router = APIRouter(prefix="/v1/reference", tags=["reference"], responses=PROBLEM_RESPONSES)


class JobTitleOption(BaseModel):
    code_ogr: str = Field(examples=["12694"])
    rome_code: str = Field(examples=["D1202"])
    label: str = Field(examples=["Coiffeur / Coiffeuse"])
    masculine: str
    feminine: str


class CityOption(BaseModel):
    insee: str = Field(examples=["69123"])
    name: str = Field(examples=["Lyon"])
    departement: str = Field(examples=["69"])
    postal_codes: list[str]
    population: int


T = TypeVar("T", bound=BaseModel)


class Options(BaseModel, Generic[T]):
    items: list[T]
    source: str


Q = Annotated[str, TypedText(max_length=80), Query(description="What the person typed.")]
Limit = Annotated[int, Query(ge=1, le=30)]


@router.get("/job-titles", response_model=Options[JobTitleOption])
async def job_titles(request: Request, q: Q, limit: Limit = 10) -> Options[JobTitleOption]:
    """Return job titles matching the words typed (accents and case ignored, both genders)."""
    found = request.app.state.job_titles.search(q, limit)
    return Options(
        items=[
            JobTitleOption(
                code_ogr=t.code_ogr, rome_code=t.rome_code, label=t.label, masculine=t.masculine, feminine=t.feminine
            )
            for t in found
        ],
        source=ROME_ATTRIBUTION,
    )


@router.get("/cities", response_model=Options[CityOption])
async def cities(request: Request, q: Q, limit: Limit = 10) -> Options[CityOption]:
    """Return communes matching a name or a postal code, the most populated first."""
    found = request.app.state.communes.search(q, limit)
    return Options(
        items=[
            CityOption(
                insee=c.insee,
                name=c.name,
                departement=c.departement,
                postal_codes=list(c.postal_codes),
                population=c.population,
            )
            for c in found
        ],
        source=GEO_ATTRIBUTION,
    )
