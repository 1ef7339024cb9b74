"""French geography (COG 2026): communes with coordinates, départements and régions."""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GEO_DATASET = "cog-2026"
GEO_ATTRIBUTION = (
    "INSEE – Code officiel géographique 2026; La Poste – base des codes postaux; "
    "Etalab – découpage administratif, Licence Ouverte / Etalab 2.0"
)


# Slots: no __dict__ per object; the gateway, the profile and the volunteers each hold the 35,014 communes.
@dataclass(frozen=True, slots=True)
class Commune:
    insee: str
    name: str
    departement: str
    region: str
    postal_codes: tuple[str, ...]
    population: int
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True, slots=True)
class Departement:
    code: str
    name: str
    region: str


@dataclass(frozen=True)
class GeoReference:
    communes: dict[str, Commune]
    departements: dict[str, Departement]  # the 101 départements (no overseas collectivities)
    regions: dict[str, str]


@cache
def load_geo(data_dir: Path) -> GeoReference:
    """Return the geography read from ``data_dir/geo`` (cached per directory)."""
    folder = data_dir / "geo"
    communes = {commune.insee: commune for commune in read_communes(data_dir)}
    regions = {r["code"]: r["nom"] for r in json.loads((folder / "regions.json").read_text(encoding="utf-8"))}
    return GeoReference(communes=communes, departements=load_departements(data_dir), regions=regions)


def read_communes(data_dir: Path) -> Iterator[Commune]:
    """Yield the communes of ``data_dir/geo`` one at a time (not cached: ``load_geo`` keeps them)."""
    # Communes that share their postal codes (a town's villages, a city's districts) share one tuple.
    postal_tuples: dict[tuple[str, ...], tuple[str, ...]] = {}
    with (data_dir / "geo" / "communes_derived.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            # Département, région and postal codes repeat from commune to commune: one string each (interned).
            postal_codes = tuple(sys.intern(p) for p in row["codes_postaux"].split("|") if p)
            yield Commune(
                insee=row["code_insee"],
                name=row["nom"],
                departement=sys.intern(row["departement"]),
                region=sys.intern(row["region"]),
                postal_codes=postal_tuples.setdefault(postal_codes, postal_codes),
                population=int(row["population"] or 0),
                latitude=float(row["latitude"]) if row["latitude"] else None,
                longitude=float(row["longitude"]) if row["longitude"] else None,
            )


@cache
def load_departements(data_dir: Path) -> dict[str, Departement]:
    """Return the 101 départements (no overseas collectivities) read from ``data_dir/geo``, without the communes.

    Cached per directory, and the very dict ``load_geo`` holds: a service that only names départements
    does not load the 35,014 communes.
    """
    return {
        d["code"]: Departement(d["code"], d["nom"], d["region"] or "")
        for d in json.loads((data_dir / "geo" / "departements.json").read_text(encoding="utf-8"))
        if d.get("zone") != "com"
    }


def distance_km(a: Commune, b: Commune) -> float | None:
    """Return the great-circle distance between two communes, or None without coordinates."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
