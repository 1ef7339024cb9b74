"""The reference documents the importer writes: ROME, geography and crosswalks (pure).

Each function returns (collection, documents) pairs built from the official
files read by shared.reference; run.py writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.diagnostic.market_reference import KEY_SKILLS, geo_dataset_id, requirement_doc, rome_dataset_id
from services.diagnostic.repository import (
    COMMUNES,
    DEPARTEMENTS,
    DOMAINS,
    FAP_CODES,
    JOB_GROUPS,
    JOB_TITLES,
    NAF_CODES,
    PCS_CODES,
    REGIONS,
    ROME_FAP,
    ROME_ISCO,
    SKILLS,
    WORK_ENVIRONMENTS,
)
from shared.reference.crosswalks import CROSSWALKS_ATTRIBUTION, CROSSWALKS_DATASET, load_crosswalks
from shared.reference.departements import departement_places
from shared.reference.diplomas import diploma_requirement
from shared.reference.geo import GEO_ATTRIBUTION, load_geo
from shared.reference.rome import ROME_ATTRIBUTION, load_rome
from shared.reference.rome_details import load_rome_details

Document = dict[str, Any]
ETALAB = "Licence Ouverte / Etalab 2.0"


@dataclass(frozen=True)
class ReferenceDataset:
    """One reference dataset: its description and the documents to write, by collection."""

    id: str
    licence: str
    attribution: str
    files: tuple[str, ...]
    collections: dict[str, list[Document]]

    @property
    def rows(self) -> int:
        """Return how many documents the dataset writes."""
        return sum(len(docs) for docs in self.collections.values())


def rome_documents(data_dir: Path) -> ReferenceDataset:
    """Return the ROME v3.47 documents: job groups (with their sheets), titles, skills, environments, tree."""
    rome = load_rome(data_dir)
    details = load_rome_details(data_dir)
    crosswalks = load_crosswalks(data_dir)
    titles_by_group: dict[str, int] = {}
    for title in rome.titles.values():
        titles_by_group[title.rome_code] = titles_by_group.get(title.rome_code, 0) + 1
    dataset = rome_dataset_id()
    groups = []
    for code, group in rome.job_groups.items():
        sheet = details.sheets.get(code)
        core = sheet.core_skills if sheet else ()
        groups.append(
            {
                "_id": code,
                "label": group.label,
                "domain": group.domain,
                "domain_label": rome.domains.get(group.domain, ""),
                "grand_domain": group.grand_domain,
                "grand_domain_label": rome.domains.get(group.grand_domain, ""),
                "riasec": [sheet.riasec_major, sheet.riasec_minor] if sheet else [None, None],
                "definition": list(sheet.definition) if sheet else [],
                "access": list(sheet.access) if sheet else [],
                "conditions": list(sheet.conditions) if sheet else [],
                "requirement": requirement_doc(diploma_requirement(sheet.access if sheet else ())),
                "mobility": [[link.target, link.kind] for link in sheet.mobility] if sheet else [],
                "core_skills": list(core),
                "specific_skills": list(sheet.specific_skills) if sheet else [],
                "key_skills": [details.skills[s].label for s in core[:KEY_SKILLS]],
                "work_environments": list(sheet.work_environments) if sheet else [],
                "fap": list(crosswalks.rome_to_fap.get(code, ())),
                "isco": crosswalks.rome_to_isco.get(code, ("", ""))[0] or None,
                "titles": titles_by_group.get(code, 0),
                "dataset": dataset,
            }
        )
    return ReferenceDataset(
        id=dataset,
        licence=ETALAB,
        attribution=ROME_ATTRIBUTION,
        files=("rome/unix_*_v347_utf8.csv", "rome/rome_arborescence_derived.csv"),
        collections={
            JOB_GROUPS: groups,
            JOB_TITLES: [
                {
                    "_id": t.code_ogr,
                    "rome": t.rome_code,
                    "label": t.label,
                    "masculine": t.masculine,
                    "feminine": t.feminine,
                }
                for t in rome.titles.values()
            ],
            SKILLS: [{"_id": s.code_ogr, "label": s.label} for s in details.skills.values()],
            WORK_ENVIRONMENTS: [
                {"_id": w.code_ogr, "label": w.label, "section": w.section} for w in details.work_environments.values()
            ],
            DOMAINS: [
                {"_id": n.code, "level": n.level, "parent": n.parent, "label": n.label} for n in details.tree.values()
            ],
        },
    )


def geo_documents(data_dir: Path) -> ReferenceDataset:
    """Return the geography documents: communes, the 101 départements (with neighbours), régions."""
    geo = load_geo(data_dir)
    places = departement_places(data_dir)
    return ReferenceDataset(
        id=geo_dataset_id(),
        licence=ETALAB,
        attribution=GEO_ATTRIBUTION,
        files=("geo/communes_derived.csv", "geo/departements.json", "geo/regions.json"),
        collections={
            COMMUNES: [
                {
                    "_id": c.insee,
                    "name": c.name,
                    "departement": c.departement,
                    "region": c.region,
                    "postal_codes": list(c.postal_codes),
                    "population": c.population,
                    "latitude": c.latitude,
                    "longitude": c.longitude,
                }
                for c in geo.communes.values()
            ],
            DEPARTEMENTS: [
                {
                    "_id": p.code,
                    "name": p.name,
                    "region": p.region,
                    "population": p.population,
                    "latitude": p.latitude,
                    "longitude": p.longitude,
                    "neighbours": [[code, km] for code, km in p.neighbours],
                }
                for p in places.values()
            ],
            REGIONS: [{"_id": code, "name": name} for code, name in geo.regions.items()],
        },
    )


def crosswalk_documents(data_dir: Path) -> ReferenceDataset:
    """Return the crosswalk documents: FAP-2009, ROME↔FAP, ROME↔ISCO-08, NAF rév. 2, PCS-2003."""
    crosswalks = load_crosswalks(data_dir)
    name, version = CROSSWALKS_DATASET.rsplit("-", 1)
    return ReferenceDataset(
        id=f"{name}@{version}",
        licence=ETALAB,
        attribution=CROSSWALKS_ATTRIBUTION,
        files=("crosswalks/*_derived.csv",),
        collections={
            FAP_CODES: [{"_id": code, "label": label} for code, label in crosswalks.fap_labels.items()],
            ROME_FAP: [
                {"_id": f"{rome}:{fap}", "rome": rome, "fap": fap}
                for rome, faps in crosswalks.rome_to_fap.items()
                for fap in faps
            ],
            ROME_ISCO: [
                {"_id": rome, "isco": isco, "label": label} for rome, (isco, label) in crosswalks.rome_to_isco.items()
            ],
            NAF_CODES: [
                {
                    "_id": n.code,
                    "label": n.label,
                    "division": n.division,
                    "division_label": n.division_label,
                    "section": n.section,
                    "section_label": n.section_label,
                }
                for n in crosswalks.naf.values()
            ],
            PCS_CODES: [
                {"_id": p.code, "label": p.label, "level": p.level, "parent": p.parent} for p in crosswalks.pcs.values()
            ],
        },
    )
