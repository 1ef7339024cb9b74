"""Where the diagnostic service keeps its data, in its own store.

People: the latest pseudonymous profile facts of each person (from
``profile-updated``) and one current diagnosis per person and project. Both
are deleted when the person is erased.

Reference and market data, written by the importer: the ROME, the geography,
the crosswalks, the imported market observations, the merged market records
and the description (name, version, licence, attribution) of every dataset.
"""

from __future__ import annotations

from typing import Any

from shared.envelope import iso
from shared.personal_data import PersonalCollection
from shared.store import Collection, Index, Store
from shared.unit_of_work import UnitOfWork

DIAGNOSES = "diagnoses"
PEOPLE = "people"
# Version of the stored diagnosis document; documents of an older format are re-made by the
# next profile update and not shown meanwhile (the foundation's had no texts or reasons).
DIAGNOSIS_FORMAT = 2

DATASETS = "datasets"
IMPORTS = "imports"
LATEST_IMPORT = "latest"
JOB_GROUPS = "rome_job_groups"
JOB_TITLES = "rome_job_titles"
SKILLS = "rome_skills"
WORK_ENVIRONMENTS = "rome_work_environments"
DOMAINS = "rome_domains"
COMMUNES = "communes"
DEPARTEMENTS = "departements"
REGIONS = "regions"
FAP_CODES = "fap_codes"
ROME_FAP = "crosswalk_rome_fap"
ROME_ISCO = "crosswalk_rome_isco"
NAF_CODES = "naf_codes"
PCS_CODES = "pcs_codes"
MARKET_OBSERVATIONS = "market_observations"
MARKET_RECORDS = "market_records"

INDEXES = (
    Index(DIAGNOSES, ("subject",)),
    Index(MARKET_OBSERVATIONS, ("dataset",)),
    Index(MARKET_RECORDS, ("rome",)),
)

# The collections that hold data about a person and the fields that name them (what erasure deletes and
# ``person_export`` returns; the other collections hold reference and market data only).
PERSONAL_DATA = (
    PersonalCollection(
        PEOPLE,
        ("_id",),
        "re-diagnose people when the market data changes; texts in their language and grammatical gender",
        "until erasure",
    ),
    PersonalCollection(
        DIAGNOSES,
        ("subject",),
        "show the diagnosis, to the person and to a consenting counsellor",
        "one per project, replaced when it changes, deleted with the project; until erasure",
    ),
)


def diagnosis_id(subject: str, project_id: str) -> str:
    """Return the id of the current diagnosis of a person's project."""
    return f"{subject}:{project_id}"


async def save_person(uow: UnitOfWork, subject: str, basis: dict[str, Any], revision: int) -> bool:
    """Keep the person's latest profile facts; return False when a newer revision is already kept."""
    people = uow.collection(PEOPLE)
    current = await people.get(subject)
    if current is not None and current["revision"] > revision:
        return False
    await people.put({"_id": subject, "revision": revision, "basis": basis, "updated_at": iso(uow.now)})
    return True


async def person_export(store: Store, subject: str) -> dict[str, Any]:
    """Return everything the service holds about a person."""
    person = await store.collection(PEOPLE).get(subject)
    diagnoses = await store.collection(DIAGNOSES).find({"subject": subject}, sort=[("_id", 1)])
    return {"profile_facts": person, "diagnoses": diagnoses}


def diagnoses_of(store: Store | UnitOfWork) -> Collection:
    """Return the diagnoses collection."""
    return store.collection(DIAGNOSES)
