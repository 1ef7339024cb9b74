"""What the questionnaire asks: the facts a person has been asked, the one definition every service uses.

The web client's questionnaire (``services/gateway/web/js/pages/onboarding.js``, ``STEPS`` and their
``skipIf``) asks these profile fields and shows every answer on "Mes réponses", where the person can
change it. A service may state a fact about the person only from one of these answers, and may ask
only for one of these fields: a sentence about the person then comes from an answer they can see and
correct, and a question has a page. Tests keep this file and ``STEPS`` in step
(tests/unit/diagnostic/test_questionnaire.py, tests/unit/advice/test_questionnaire.py).

Not asked today, so never stated nor asked by the diagnosis or the advice: ``driving_licenses``,
``has_handicap``, ``family_situation``, ``languages``, ``min_salary``, ``workloads``.
"""

from __future__ import annotations

from typing import Any

from shared.contracts.profile import ProfileFacts, ProjectFacts
from shared.contracts.vocabulary import Frustration, PreviousJobSimilarity

# By the profile field each step saves.
QUESTIONNAIRE_FIELDS = frozenset(
    {
        "rome_code",  # the "job" step saves job_code_ogr and rome_code
        "city_insee",  # the "city" step; the département follows from it
        "kind",
        "previous_job_similarity",
        "seniority",  # skipped after "never done this job" (see ``asked``)
        "job_search_started_at",  # the "search" step saves job_search_has_not_started too
        "weekly_applications_estimate",
        "total_interview_count",
        "weekly_offers_estimate",
        "network_estimate",
        "passionate_level",
        "training_fulfillment_estimate",
        "area_type",
        "employment_types",
        "has_resume",
        "year_of_birth",
        "highest_degree",
        "frustrations",
        "gender",
        "original_self_diagnostic",
        "action_pace",
    }
)

# The frustrations the questionnaire offers to choose; another one in a profile was not asked here.
OFFERED_FRUSTRATIONS = frozenset(
    {
        Frustration.NO_OFFERS,
        Frustration.NO_OFFER_ANSWERS,
        Frustration.RESUME,
        Frustration.INTERVIEW,
        Frustration.TRAINING,
        Frustration.MOTIVATION,
        Frustration.TIME_MANAGEMENT,
        Frustration.EXPERIENCE,
        Frustration.SELF_CONFIDENCE,
        Frustration.AGE_DISCRIMINATION,
        Frustration.SEX_DISCRIMINATION,
        Frustration.ATYPIC_PROFILE,
        Frustration.CHILD_CARE,
        Frustration.LANGUAGE,
        Frustration.FOREIGN_QUALIFICATIONS,
    }
)


def asked(name: str, project: ProjectFacts) -> bool:
    """Return True when the questionnaire asks this field of the person with this project."""
    if name not in QUESTIONNAIRE_FIELDS:
        return False
    if name == "seniority":
        # The years of experience are skipped after "never done this job": that answer says it all.
        return project.previous_job_similarity is not PreviousJobSimilarity.NEVER_DONE
    return True


def as_asked(profile: ProfileFacts, project: ProjectFacts) -> tuple[ProfileFacts, ProjectFacts]:
    """Return the profile and the project with only what the questionnaire asks: any other field unanswered.

    A field the questionnaire never asks may still be in a profile (set through the API, or by an older
    client); nothing is said about the person from it, and it is never asked for.
    """
    unasked_profile: dict[str, Any] = {
        name: [] if isinstance(getattr(profile, name), list) else None
        for name in ("family_situation", "driving_licenses", "languages", "has_handicap")
        if name not in QUESTIONNAIRE_FIELDS
    }
    unasked_profile["frustrations"] = [f for f in profile.frustrations if f in OFFERED_FRUSTRATIONS]
    unasked_project: dict[str, Any] = {
        name: [] if isinstance(getattr(project, name), list) else None
        for name in ("min_salary", "workloads")
        if name not in QUESTIONNAIRE_FIELDS
    }
    return profile.model_copy(update=unasked_profile), project.model_copy(update=unasked_project)
