"""Close jobs and other départements where the market is better (pure).

A candidate is kept when its offers per 10 job seekers are at least
``BETTER_BY`` times the person's own (20 % better), so that noise in the
figures does not produce advice. Sources of candidates:

* close jobs and evolutions from the ROME mobility links, in the same département;
* neighbouring départements (see shared.reference.departements), same job;
* the best départements of the country for the same job (relocation), on
  the same side of the sea: mainland for mainland, overseas for overseas.

Only official figures count, on both sides of the comparison: a tension of the
market model (synthetic) is unknown here, so no move is ever suggested from
invented figures. Without imported statistics there is no alternative.

The list is sorted best first; each entry says where its tension comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from services.diagnostic.market_reference import MarketReference
from services.diagnostic.market_table import MarketTable
from shared.contracts.diagnostic import AlternativeMarket

Relation = Literal["close-job", "evolution", "other-departement", "neighbour-departement"]
BETTER_BY = 1.2
LIMITS: dict[Relation, int] = {"close-job": 5, "evolution": 3, "neighbour-departement": 5, "other-departement": 3}
TENSION = "offers_per_10_candidates"
OVERSEAS_PREFIX = "97"


@dataclass
class AlternativeFinder:
    """Finds alternatives in one market table; caches each job's national ranking."""

    table: MarketTable
    reference: MarketReference
    _ranking: dict[str, list[tuple[float, str]]] = field(default_factory=dict)

    def real_tension(self, rome: str, departement: str) -> float | None:
        """Return the tension of a pair when an official dataset gives it; None when unknown or synthetic."""
        source = self.table.source(rome, departement, TENSION)
        if source is None or source.provenance != "real":
            return None
        return self.table.value(rome, departement, TENSION)

    def national_ranking(self, rome: str) -> list[tuple[float, str]]:
        """Return (official tension, département) for a job, best first."""
        ranking = self._ranking.get(rome)
        if ranking is None:
            values = ((self.real_tension(rome, dep), dep) for dep in self.table.departements)
            ranking = sorted(((v, d) for v, d in values if v is not None), key=lambda x: (-x[0], x[1]))
            self._ranking[rome] = ranking
        return ranking

    def _candidate(self, rome: str, dep: str, relation: Relation, floor: float) -> AlternativeMarket | None:
        value = self.real_tension(rome, dep)
        source = self.table.source(rome, dep, TENSION)
        if value is None or source is None or value < floor:
            return None
        return AlternativeMarket.model_construct(
            rome_code=rome,
            departement=dep,
            offers_per_10_candidates=value,
            provenance=source.provenance,
            relation=relation,
            dataset=source.id,
        )

    def find(self, rome: str, departement: str) -> list[AlternativeMarket]:
        """Return the alternatives with a better market than (rome, departement), best first."""
        own = self.real_tension(rome, departement)
        group = self.reference.job_groups.get(rome)
        place = self.reference.departements.get(departement)
        if own is None or group is None or place is None:
            return []
        floor = max(own * BETTER_BY, own + 0.1)
        found: list[AlternativeMarket] = []
        counts = dict.fromkeys(LIMITS, 0)

        def add(candidate: AlternativeMarket | None) -> None:
            if candidate is not None and counts[candidate.relation] < LIMITS[candidate.relation]:
                counts[candidate.relation] += 1
                found.append(candidate)

        for target, kind in sorted(group.mobility, key=lambda link: -(self.real_tension(link[0], departement) or 0)):
            add(self._candidate(target, departement, kind, floor))
        neighbours = {code for code, _ in place.neighbours}
        for code in sorted(neighbours, key=lambda c: -(self.real_tension(rome, c) or 0)):
            add(self._candidate(rome, code, "neighbour-departement", floor))
        overseas = departement.startswith(OVERSEAS_PREFIX)
        for value, code in self.national_ranking(rome):
            if value < floor or counts["other-departement"] >= LIMITS["other-departement"]:
                break
            if code != departement and code not in neighbours and code.startswith(OVERSEAS_PREFIX) == overseas:
                add(self._candidate(rome, code, "other-departement", floor))
        found.sort(key=lambda a: (-a.offers_per_10_candidates, a.relation, a.rome_code, a.departement))
        return found
