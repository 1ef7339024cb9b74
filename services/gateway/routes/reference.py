"""Reference data for forms: job-title and city autocomplete (answered from memory, no service call).

Every answer says where its items come from (``source``) and what orders them (``ranking``), in the
reader's language: the job titles are ordered by France Travail's job offers when the official
offers file is imported, else by the length of the title, and never by an estimate.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from services.gateway.autocomplete import Autocomplete
from services.gateway.problems import PROBLEM_RESPONSES, language
from shared.contracts.text import TypedText
from shared.reference.geo import GEO_ATTRIBUTION
from shared.reference.rome import ROME_ATTRIBUTION

router = APIRouter(prefix="/v1/reference", tags=["reference"], responses=PROBLEM_RESPONSES)


class JobTitleOption(BaseModel):
    code_ogr: str = Field(examples=["11368"])
    rome_code: str = Field(examples=["D1403"])
    label: str = Field(
        description="The ROME's long label, both genders.",
        examples=["Attaché commercial / Attachée commerciale auprès des particuliers"],
    )
    masculine: str = Field(examples=["Attaché commercial auprès des particuliers"])
    feminine: str = Field(examples=["Attachée commerciale auprès des particuliers"])


class CityOption(BaseModel):
    insee: str = Field(examples=["69123"])
    name: str = Field(examples=["Lyon"])
    departement: str = Field(examples=["69"])
    postal_codes: list[str]
    population: int


T = TypeVar("T", bound=BaseModel)


class Ranking(BaseModel):
    """What orders the items, and the figures behind that order."""

    basis: str = Field(
        description="job-offers (France Travail's offers per job), shortest-title (no count imported) or population.",
        examples=["shortest-title"],
    )
    description: str = Field(description="The order in words, in the reader's language.")
    source: str | None = Field(None, description="Attribution of the figures that order the items, if any.")
    period: str | None = Field(
        None, description="Days the figures cover (start/end).", examples=["2024-01-01/2024-12-31"]
    )


class Options(BaseModel, Generic[T]):
    items: list[T]
    source: str
    ranking: Ranking | None = None


def ranking_of(index: Autocomplete[Any], request: Request) -> Ranking | None:
    """Return the index's ranking in the reader's language."""
    if index.ranking is None:
        return None
    found = index.ranking
    return Ranking(
        basis=found.basis, description=found.description[language(request)], source=found.source, period=found.period
    )


Q = Annotated[str, TypedText(max_length=80), Query(description="What the person typed.")]
Limit = Annotated[int, Query(ge=1, le=30)]


@router.get("/job-titles", response_model=Options[JobTitleOption])
async def job_titles(request: Request, q: Q, limit: Limit = 10) -> Options[JobTitleOption]:
    """Return job titles matching the words typed (accents and case ignored, both genders, one or two typos a word)."""
    index = request.app.state.job_titles
    found = index.search(q, limit)
    return Options(
        items=[
            JobTitleOption(
                code_ogr=t.code_ogr, rome_code=t.rome_code, label=t.label, masculine=t.masculine, feminine=t.feminine
            )
            for t in found
        ],
        source=ROME_ATTRIBUTION,
        ranking=ranking_of(index, request),
    )


@router.get("/cities", response_model=Options[CityOption])
async def cities(request: Request, q: Q, limit: Limit = 10) -> Options[CityOption]:
    """Return communes matching a name or a postal code, the most populated first."""
    index = request.app.state.communes
    found = index.search(q, limit)
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
        ranking=ranking_of(index, request),
    )
