"""The reference facts the market figures hang on: job groups and départements.

Built either from the imported documents in the service's store (the normal
case after ``make data``) or straight from the official files in DATA_DIR (a
fresh machine), so the service always works.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.reference.departements import departement_places
from shared.reference.diplomas import DiplomaRequirement, diploma_requirement
from shared.reference.geo import GEO_DATASET, load_departements
from shared.reference.rome import ROME_DATASET, load_job_groups
from shared.reference.rome_details import MobilityKind, load_rome_details


@dataclass(frozen=True)
class JobGroupRef:
    code: str
    label: str
    grand_domain: str
    requirement: DiplomaRequirement
    mobility: tuple[tuple[str, MobilityKind], ...]
    key_skills: tuple[str, ...]  # labels of the first core knowledge items


@dataclass(frozen=True)
class DepartementRef:
    code: str
    name: str
    region: str
    population: int
    neighbours: tuple[tuple[str, float], ...]  # (code, km), nearest first


@dataclass(frozen=True)
class MarketReference:
    job_groups: dict[str, JobGroupRef]
    departements: dict[str, DepartementRef]
    rome_dataset: str  # e.g. rome@v3.47
    geo_dataset: str

    @property
    def total_population(self) -> int:
        """Return the population of the 101 départements."""
        return sum(d.population for d in self.departements.values())


KEY_SKILLS = 5


def reference_from_files(data_dir: Path) -> MarketReference:
    """Return the reference read from the official files in DATA_DIR."""
    # What the diagnosis reads, not the files' every record: no job titles, no communes (the 101
    # places are computed from them and kept alone). The places first: the communes they read are
    # freed before the lasting objects are made, so the freed memory is not left in between them.
    places = departement_places(data_dir)
    departements_read = load_departements(data_dir)
    details = load_rome_details(data_dir)
    job_groups = {}
    for code, group in load_job_groups(data_dir).job_groups.items():
        sheet = details.sheets.get(code)
        job_groups[code] = JobGroupRef(
            code=code,
            label=group.label,
            grand_domain=group.grand_domain,
            requirement=diploma_requirement(sheet.access if sheet else ()),
            mobility=tuple((link.target, link.kind) for link in sheet.mobility) if sheet else (),
            key_skills=tuple(details.skills[s].label for s in (sheet.core_skills if sheet else ())[:KEY_SKILLS]),
        )
    departements = {
        code: DepartementRef(code, place.name, place.region, place.population, place.neighbours)
        for code, place in places.items()
        if code in departements_read
    }
    return MarketReference(job_groups, departements, rome_dataset_id(), geo_dataset_id())


def rome_dataset_id() -> str:
    """Return the dataset id of the ROME files (name@version)."""
    name, version = ROME_DATASET.rsplit("-", 1)
    return f"{name}@{version}"


def geo_dataset_id() -> str:
    """Return the dataset id of the geography files (name@version)."""
    name, version = GEO_DATASET.rsplit("-", 1)
    return f"{name}@{version}"


def requirement_doc(requirement: DiplomaRequirement) -> dict[str, Any]:
    """Return a diploma requirement as a store document."""
    return {
        "degree_rank": requirement.degree_rank,
        "diplomas": list(requirement.diplomas),
        "experience_route": requirement.experience_route,
        "regulated": requirement.regulated,
    }


def reference_from_docs(
    job_groups: Iterable[Mapping[str, Any]],
    departements: Iterable[Mapping[str, Any]],
    *,
    rome_dataset: str,
    geo_dataset: str,
) -> MarketReference:
    """Return the reference rebuilt from the documents the importer stored."""
    groups = {}
    for doc in job_groups:
        req = doc.get("requirement") or {}
        groups[doc["_id"]] = JobGroupRef(
            code=doc["_id"],
            label=doc["label"],
            grand_domain=doc["grand_domain"],
            requirement=DiplomaRequirement(
                degree_rank=req.get("degree_rank"),
                diplomas=tuple(req.get("diplomas", ())),
                experience_route=bool(req.get("experience_route")),
                regulated=bool(req.get("regulated")),
            ),
            mobility=tuple((target, kind) for target, kind in doc.get("mobility", [])),
            key_skills=tuple(doc.get("key_skills", ())),
        )
    deps = {
        doc["_id"]: DepartementRef(
            code=doc["_id"],
            name=doc["name"],
            region=doc["region"],
            population=int(doc["population"]),
            neighbours=tuple((code, float(km)) for code, km in doc.get("neighbours", [])),
        )
        for doc in departements
    }
    return MarketReference(groups, deps, rome_dataset, geo_dataset)
