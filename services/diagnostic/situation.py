"""The facts a diagnosis reads, derived once from (profile, project, market, date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.diagnostic.models import PROFILE_SOURCE, Source
from shared.contracts.diagnostic import MarketFacts, MarketFigure
from shared.contracts.profile import ProfileFacts, ProfileUpdatedData, ProjectFacts
from shared.contracts.questionnaire import as_asked
from shared.contracts.vocabulary import Degree

# Ranks as plain dicts: the enums' own lookups rebuild a list on every call, and a diagnosis makes dozens.
DEGREE_RANK = {degree: rank for rank, degree in enumerate(Degree)}
_SOURCES: dict[tuple[str, str], tuple[Source, ...]] = {}
DECLARED = (PROFILE_SOURCE,)


def figure_source(figure: MarketFigure) -> tuple[Source, ...]:
    """Return the source of a market figure as a one-element tuple (shared: datasets are few)."""
    key = (figure.dataset, figure.provenance)
    source = _SOURCES.get(key)
    if source is None:
        source = _SOURCES[key] = (Source(figure.dataset, figure.provenance),)
    return source


@dataclass(frozen=True, slots=True)
class Situation:
    today: date
    profile: ProfileFacts
    project: ProjectFacts
    other_projects: tuple[ProjectFacts, ...]
    market: MarketFacts | None
    values: dict[str, float | None]  # market figures by name
    sources: dict[str, tuple[Source, ...]]  # and where each comes from
    age: int | None
    searching: bool | None  # True: search started; False: not started; None: unknown
    search_months: float | None  # months since the search started, when it did

    def real_value(self, name: str) -> float | None:
        """Return a market figure's value when an official dataset gives it; None when unknown or synthetic.

        Every decision of the diagnosis reads market figures through this: a
        figure of the market model (``synthetic``) is treated as unknown, so no
        verdict, score, strength or suggestion is ever drawn from it.
        """
        sources = self.sources.get(name)
        if not sources or sources[0].provenance != "real":
            return None
        return self.values.get(name)

    def is_synthetic(self, name: str) -> bool:
        """Return True when the figure is known only from the market model (shown as a demonstration)."""
        sources = self.sources.get(name)
        return sources is not None and sources[0].provenance == "synthetic" and self.values.get(name) is not None

    def source(self, name: str) -> tuple[Source, ...]:
        """Return the source of a market figure, as a one-element tuple (empty when unknown)."""
        return self.sources.get(name, ())

    @property
    def declared(self) -> tuple[Source, ...]:
        """Return the source of what the person declared."""
        return DECLARED


# Market facts are shared by everyone diagnosed in the same job and place: index their
# figures once. Keyed by identity, the facts object kept alongside so its id cannot be reused.
_INDEXED: dict[int, tuple[MarketFacts, dict[str, float | None], dict[str, tuple[Source, ...]]]] = {}
_INDEXED_MAX = 8192


def _figures(market: MarketFacts) -> tuple[dict[str, float | None], dict[str, tuple[Source, ...]]]:
    cached = _INDEXED.get(id(market))
    if cached is not None and cached[0] is market:
        return cached[1], cached[2]
    values = {figure.name: figure.value for figure in market.figures}
    sources = {figure.name: figure_source(figure) for figure in market.figures}
    if len(_INDEXED) >= _INDEXED_MAX:
        _INDEXED.clear()
    _INDEXED[id(market)] = (market, values, sources)
    return values, sources


def situation_of(
    basis: ProfileUpdatedData, project: ProjectFacts, market: MarketFacts | None, today: date
) -> Situation:
    """Return the derived facts of one project at a date: only the answers the questionnaire asks for."""
    profile, project = as_asked(basis.profile, project)
    age = today.year - profile.year_of_birth if profile.year_of_birth else None
    searching, search_months = project.searching(), project.search_months(today)
    values, sources = _figures(market) if market is not None else ({}, {})
    return Situation(
        today=today,
        profile=profile,
        project=project,
        other_projects=tuple(p for p in basis.projects if p.project_id != project.project_id),
        market=market,
        values=values,
        sources=sources,
        age=age,
        searching=searching,
        search_months=search_months,
    )
