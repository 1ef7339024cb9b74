"""Départements as places: population, population-weighted centre, neighbours.

Neighbours are the départements that share a border, so that "voisin" is true
when a text says it. No border file is available offline, so the borders are
read from the commune coordinates (INSEE/IGN centres): two départements share a
border when a commune of each lies within ``BORDER_KM`` of the other. Inland,
the centres of next communes are 2 to 6 km apart, so every shared border has
such a pair, while two départements that do not touch have a third between
them (the known borders of tests/unit/shared/test_departements.py hold).
Overseas départements neighbour none: the sea is not a commute.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shared.reference.geo import Commune, Departement, load_departements, read_communes

BORDER_KM = 9.0
# Grid cells larger than BORDER_KM in both directions (0.1° of latitude is 11 km; 0.15° of longitude is
# 10 km or more south of 51.5°N, the north of France), so a close pair lies in the same or a next cell.
_CELL_LAT = 0.1
_CELL_LON = 0.15
_OVERSEAS_PREFIX = "97"


@dataclass(frozen=True)
class DepartementPlace:
    code: str
    name: str
    region: str
    population: int
    latitude: float | None
    longitude: float | None
    neighbours: tuple[tuple[str, float], ...]  # bordering (code, km between centres), nearest first


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the distance in km between two points given in degrees."""
    p1, q1, p2, q2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((q2 - q1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _centres(
    communes: Collection[Commune], departements: Mapping[str, Departement]
) -> dict[str, tuple[int, float | None, float | None]]:
    population: dict[str, int] = dict.fromkeys(departements, 0)
    weighted: dict[str, list[float]] = {code: [0.0, 0.0, 0.0] for code in departements}
    for commune in communes:
        if commune.departement not in population:
            continue
        # Municipal arrondissements (Paris, Lyon, Marseille) repeat their city's population.
        if _is_arrondissement(commune.insee):
            continue
        population[commune.departement] += commune.population
        if commune.latitude is not None and commune.longitude is not None:
            w = max(commune.population, 1)
            acc = weighted[commune.departement]
            acc[0] += commune.latitude * w
            acc[1] += commune.longitude * w
            acc[2] += w
    return {
        code: (
            population[code],
            acc[0] / acc[2] if acc[2] else None,
            acc[1] / acc[2] if acc[2] else None,
        )
        for code, acc in weighted.items()
    }


def _is_arrondissement(insee: str) -> bool:
    # INSEE codes of municipal arrondissements: 75101-75120, 69381-69389, 13201-13216.
    return insee[:3] in ("751", "693", "132") and insee not in ("75056", "69123", "13055")


def bordering(communes: Collection[Commune]) -> dict[str, set[str]]:
    """Return, for each département, those it shares a border with (communes within BORDER_KM)."""
    grid: dict[tuple[int, int], list[tuple[float, float, str]]] = defaultdict(list)
    for commune in communes:
        # A municipal arrondissement is a part of its city, not a commune of the border (Paris is one).
        if commune.latitude is not None and commune.longitude is not None and not _is_arrondissement(commune.insee):
            key = (math.floor(commune.latitude / _CELL_LAT), math.floor(commune.longitude / _CELL_LON))
            grid[key].append((commune.latitude, commune.longitude, commune.departement))
    borders: dict[str, set[str]] = defaultdict(set)
    for (row, col), here in grid.items():
        around = [p for dr in (-1, 0, 1) for dc in (-1, 0, 1) for p in grid.get((row + dr, col + dc), ())]
        if len({dep for _, _, dep in around}) < 2:
            continue  # inland: every commune around belongs to one département
        for lat, lon, dep in here:
            for olat, olon, other in around:
                if other == dep or other in borders[dep]:
                    continue
                if great_circle_km(lat, lon, olat, olon) <= BORDER_KM:
                    borders[dep].add(other)
                    borders[other].add(dep)
    return borders


@cache
def departement_places(data_dir: Path) -> dict[str, DepartementPlace]:
    """Return the 101 départements with population, centre and neighbours (cached per directory).

    The communes are read for this computation and let go (``read_communes``, not ``load_geo``): the
    diagnostic service needs the 101 places, never the 35,014 communes.
    """
    communes = list(read_communes(data_dir))
    departements = load_departements(data_dir)
    centres = _centres(communes, departements)
    borders = bordering(communes)
    del communes
    places: dict[str, DepartementPlace] = {}
    for code, dep in departements.items():
        population, lat, lon = centres[code]
        near: list[tuple[str, float]] = []
        if lat is not None and lon is not None and not code.startswith(_OVERSEAS_PREFIX):
            for other in borders.get(code, ()):
                _, olat, olon = centres.get(other, (0, None, None))
                if olat is not None and olon is not None:
                    near.append((other, round(great_circle_km(lat, lon, olat, olon), 1)))
        near.sort(key=lambda pair: (pair[1], pair[0]))
        places[code] = DepartementPlace(
            code=code,
            name=dep.name,
            region=dep.region,
            population=population,
            latitude=lat,
            longitude=lon,
            neighbours=tuple(near),
        )
    return places
