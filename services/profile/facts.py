"""Turn a stored profile into the pseudonymous facts published on ``profile-updated`` (pure).

Only codes and enumerations leave the service: the name, the email, the custom
gender label and every text the person typed stay here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from services.profile.completeness import project_missing_fields
from shared.contracts.api.reference_values import NETWORK_UNKNOWN
from shared.contracts.profile import (
    ConsentState,
    Preferences,
    ProfileFacts,
    ProfileUpdated,
    ProfileUpdatedData,
    ProjectFacts,
)
from shared.contracts.vocabulary import Gender, SeniorityAnswer

_PROFILE_FACTS = set(ProfileFacts.model_fields) - {"is_guest"}
_PROJECT_FACTS = set(ProjectFacts.model_fields) - {"missing_fields", "departement"}


def profile_facts(doc: Mapping[str, Any], *, is_guest: bool) -> ProfileFacts:
    """Return the profile facts of a stored profile."""
    profile = doc.get("profile", {})
    values = {k: v for k, v in profile.items() if k in _PROFILE_FACTS and v is not None}
    values.setdefault("gender", Gender.UNKNOWN)
    return ProfileFacts(**values, is_guest=is_guest)


def project_facts(project: Mapping[str, Any]) -> ProjectFacts:
    """Return the facts of one stored project.

    Two answers are facts without a published value: "no experience at all" (seniority NO_SENIORITY)
    is published as ``no_seniority`` with a null seniority, and "I do not know" for the network (-1) as
    a null estimate; neither is then missing from the project.
    """
    values = {k: v for k, v in project.items() if k in _PROJECT_FACTS and v is not None}
    answer = values.pop("seniority", None)
    if answer is not None:
        seniority = SeniorityAnswer(answer).seniority
        values["no_seniority"] = seniority is None
        if seniority is not None:
            values["seniority"] = seniority
    if values.get("network_estimate") == NETWORK_UNKNOWN:
        del values["network_estimate"]
    return ProjectFacts(
        **values,
        departement=project.get("departement"),
        missing_fields=project_missing_fields(project),
    )


def profile_updated(doc: Mapping[str, Any], *, is_guest: bool) -> ProfileUpdated:
    """Return the ``profile-updated`` event for the stored profile at its current revision."""
    return ProfileUpdated(
        subject=doc["_id"],
        data=ProfileUpdatedData(
            revision=doc["revision"],
            registered_at=date.fromisoformat(doc["registered_at"]),
            questionnaire_finished_at=doc.get("questionnaire_finished_at"),
            profile=profile_facts(doc, is_guest=is_guest),
            projects=[project_facts(p) for p in doc.get("projects", [])],
            preferences=Preferences(**{k: v for k, v in doc.get("preferences", {}).items() if v is not None}),
            consents=ConsentState(**doc.get("consents", {})),
        ),
    )
