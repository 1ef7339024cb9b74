"""What each sentence of the diagnosis states about the person: the answers behind it.

A reason or an observation that says something about the person rests on answers they gave in
"Mes réponses" (shared/contracts/questionnaire.py). Each text key is mapped here to the fields it
states, so the page can link every such sentence to the question that sets it, and the tests can
prove no sentence states an answer the person did not give (tests/unit/diagnostic/test_claims.py).
A key not in the map states no answer: a market figure, the job's requirements, a general word.
"""

from __future__ import annotations

from shared.contracts.vocabulary import Frustration

# Reason and observation keys, by the prefix or the whole key, and the answers they state.
STATES: dict[str, tuple[str, ...]] = {
    "passion.": ("passionate_level",),
    "kind.": ("kind",),
    "job.done-before": ("previous_job_similarity",),
    "job.never-done": ("seniority",),  # "never done this job", or "no experience at all"
    "age.": ("year_of_birth",),
    "seniority.": ("seniority",),
    "search.not-started": ("job_search_started_at",),
    "search.started": ("job_search_started_at",),
    "search.short": ("job_search_started_at",),
    "search.long": ("job_search_started_at",),
    "search.too-recent": ("job_search_started_at",),
    "search.recent": ("job_search_started_at",),
    "search.applications-": ("weekly_applications_estimate",),
    "search.interviews-": ("total_interview_count",),
    "search.no-resume": ("has_resume",),
    "search.network-": ("network_estimate",),
    "interviews.": ("total_interview_count",),
    "applications.": ("weekly_applications_estimate",),
    "diploma.has": ("highest_degree",),
    "diploma.lacks": ("highest_degree",),
    "diploma.enough-declared": ("training_fulfillment_estimate",),
    "diploma.unsure-declared": ("training_fulfillment_estimate",),
    "experience.declared": ("training_fulfillment_estimate",),
    "profile.age-": ("year_of_birth",),
    "profile.degree": ("highest_degree",),
    "profile.car-license": ("driving_licenses",),
    "profile.languages": ("languages",),
    "profile.handicap": ("has_handicap",),
    "project.passion-": ("passionate_level",),
    "project.done-": ("previous_job_similarity",),
    "project.never-done": ("previous_job_similarity",),
    "project.experienced": ("seniority",),
    "project.mobility-": ("area_type",),
    "project.salary-": ("min_salary",),
    "project.contracts-narrow": ("employment_types",),
    "skills.diploma-ok": ("highest_degree",),
    "skills.diploma-level": ("highest_degree",),
    "skills.diploma-missing": ("highest_degree",),
    "skills.diploma-declared": ("training_fulfillment_estimate",),
}
# Observations about a difficulty the person chose among the frustrations.
FRUSTRATIONS: dict[str, tuple[Frustration, ...]] = {
    "frustration.motivation": (Frustration.MOTIVATION,),
    "profile.childcare": (Frustration.CHILD_CARE,),
    "profile.back-from-break": (Frustration.STAY_AT_HOME_PARENT,),
    "profile.confidence": (Frustration.SELF_CONFIDENCE, Frustration.MOTIVATION),
    "profile.discrimination": (
        Frustration.AGE_DISCRIMINATION,
        Frustration.SEX_DISCRIMINATION,
        Frustration.RACE_DISCRIMINATION,
    ),
}


def states(key: str) -> tuple[str, ...]:
    """Return the questionnaire fields a text key states (none for a key that says nothing of the person)."""
    return next((fields for prefix, fields in STATES.items() if key == prefix or key.startswith(prefix)), ())


def answers_stated(key: str) -> list[str]:
    """Return the fields of "Mes réponses" a sentence rests on (frustrations for a chosen difficulty)."""
    fields = list(states(key))
    if key in FRUSTRATIONS:
        fields.append("frustrations")
    return fields
