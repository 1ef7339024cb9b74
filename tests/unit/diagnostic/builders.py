"""Builders of diagnosis inputs for the tests: profile facts, projects and hand-made market facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.contracts.diagnostic import (
    AlternativeMarket,
    JobRequirements,
    MarketFacts,
    MarketFigure,
    Provenance,
)
from shared.contracts.profile import DAYS_PER_MONTH, ProfileFacts, ProfileUpdatedData, ProjectFacts

TODAY = date(2026, 11, 22)
SUBJECT = "u_test_0123456789"


def project(**fields: Any) -> ProjectFacts:
    """Return a project with a target job and a city unless told otherwise."""
    values: dict[str, Any] = {
        "project_id": "p1",
        "rome_code": "D1202",
        "job_code_ogr": "12694",
        "city_insee": "69123",
        "departement": "69",
        "kind": "FIND_A_NEW_JOB",
    }
    values.update(fields)
    return ProjectFacts(**values)


def basis(*projects: ProjectFacts, revision: int = 1, locale: str = "fr", **profile: Any) -> ProfileUpdatedData:
    """Return the profile facts of a person with these projects."""
    return ProfileUpdatedData(
        revision=revision,
        registered_at=date(2026, 11, 1),
        profile=ProfileFacts(**profile),
        projects=list(projects) or [project()],
        preferences={"locale": locale},
    )


def market(
    offers: float | None = 5.0,
    *,
    rome: str = "D1202",
    departement: str = "69",
    rank: int | None = 1,
    experience_route: bool = False,
    regulated: bool = False,
    provenance: Provenance = "synthetic",
    alternatives: list[AlternativeMarket] | None = None,
    **figures: float,
) -> MarketFacts:
    """Return hand-made market facts: the tension, the ROME diploma rank and any other figures."""
    dataset = "market-model@1" if provenance == "synthetic" else "imt-market-score@test"
    items = []
    if offers is not None:
        items.append(
            MarketFigure(name="offers_per_10_candidates", value=offers, provenance=provenance, dataset=dataset)
        )
    for name, value in figures.items():
        items.append(MarketFigure(name=name, value=value, provenance=provenance, dataset=dataset))
    if rank is not None:
        items.append(MarketFigure(name="required_degree_rank", value=rank, provenance="real", dataset="rome@v3.47"))
    return MarketFacts(
        rome_code=rome,
        departement=departement,
        figures=items,
        alternatives=alternatives or [],
        requirements=JobRequirements(
            diplomas=["CAP/BEP ou un Brevet Professionnel en coiffure"] if rank else [],
            experience_route=experience_route,
            regulated=regulated,
            dataset="rome@v3.47",
        ),
    )


def started(months: float) -> date:
    """Return the date a search started ``months`` months (of 30.5 days) before TODAY."""
    from datetime import timedelta

    return TODAY - timedelta(days=round(months * DAYS_PER_MONTH))


def born(age: int) -> int:
    """Return the year of birth of a person of this age in TODAY's year."""
    return TODAY.year - age
