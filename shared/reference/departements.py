"""Départements as places: population, population-weighted centre, neighbours.

Neighbours are derived from the commune coordinates, not from a list of
shared borders: two départements are neighbours when their population-weighted
centres are at most ``NEIGHBOUR_RADIUS_KM`` apart, which is where commuting
or a short move is realistic. A mainland département with fewer than
``MIN_NEIGHBOURS`` such neighbours (Finistère, Corsica) also gets its nearest
ones up to ``FALLBACK_RADIUS_KM``. Overseas départements only neighbour each
other within the radius (none do), because the sea is not a commute.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shared.reference.geo import GeoReference, load_geo

NEIGHBOUR_RADIUS_KM = 110.0
FALLBACK_RADIUS_KM = 200.0
MIN_NEIGHBOURS = 2
_OVERSEAS_PREFIX = "97"


@dataclass(frozen=True)
class DepartementPlace:
    code: str
    name: str
    region: str
    population: int
    latitude: float | None
    longitude: float | None
    neighbours: tuple[tuple[str, float], ...]  # (code, distance in km), nearest first


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the distance in km between two points given in degrees."""
    p1, q1, p2, q2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((q2 - q1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _centres(geo: GeoReference) -> dict[str, tuple[int, float | None, float | None]]:
    population: dict[str, int] = dict.fromkeys(geo.departements, 0)
    weighted: dict[str, list[float]] = {code: [0.0, 0.0, 0.0] for code in geo.departements}
    for commune in geo.communes.values():
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


@cache
def departement_places(data_dir: Path) -> dict[str, DepartementPlace]:
    """Return the 101 départements with population, centre and neighbours (cached per directory)."""
    geo = load_geo(data_dir)
    centres = _centres(geo)
    places: dict[str, DepartementPlace] = {}
    for code, dep in geo.departements.items():
        population, lat, lon = centres[code]
        distances: list[tuple[float, str]] = []
        if lat is not None and lon is not None:
            for other, (_, olat, olon) in centres.items():
                if other != code and olat is not None and olon is not None:
                    distances.append((great_circle_km(lat, lon, olat, olon), other))
        distances.sort()
        near = [(o, d) for d, o in distances if d <= NEIGHBOUR_RADIUS_KM]
        if len(near) < MIN_NEIGHBOURS and not code.startswith(_OVERSEAS_PREFIX):
            near = [(o, d) for d, o in distances[:MIN_NEIGHBOURS] if d <= FALLBACK_RADIUS_KM]
        places[code] = DepartementPlace(
            code=code,
            name=dep.name,
            region=dep.region,
            population=population,
            latitude=lat,
            longitude=lon,
            neighbours=tuple((o, round(d, 1)) for o, d in near),
        )
    return places
