"""Issue 18, "no claim without a fact", for the diagnosis: every reason and observation that says something
about the person states an answer they gave, to a question "Mes réponses" asks (shared/contracts/
questionnaire.py). What is unanswered is said as unanswered ("Vous ne nous avez pas encore dit…") or asked.

Each text key is mapped to the answers it states; a key not in the map states none (a market figure, the
job's requirements, a general word). The people are those of test_every_person.py: every field, asked or
not, drawn set or unset.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.diagnostic.diagnose import diagnose
from shared.contracts.profile import ProfileUpdatedData, ProjectFacts
from shared.contracts.questionnaire import OFFERED_FRUSTRATIONS, QUESTIONNAIRE_FIELDS
from shared.contracts.vocabulary import Frustration
from tests.unit.diagnostic.builders import TODAY
from tests.unit.diagnostic.test_every_person import markets, people

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
    return next((fields for prefix, fields in STATES.items() if key == prefix or key.startswith(prefix)), ())


def answered(name: str, person: ProfileUpdatedData, project: ProjectFacts) -> bool:
    if name == "job_search_started_at":
        return project.searching() is not None
    if name == "seniority":
        return project.seniority_rank is not None
    profile = person.profile
    value = getattr(profile, name) if name in type(profile).model_fields else getattr(project, name)
    return value not in (None, [])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_sentence_about_the_person_states_an_answer_they_gave(data: st.DataObject) -> None:
    person = data.draw(people())
    project = person.projects[0]
    diagnosis = diagnose(person, project, data.draw(markets(project)), TODAY)
    keys = [r.code for c in diagnosis.challenges for r in c.reasons]
    for sub in diagnosis.sub_diagnoses:
        for observation in sub.observations:
            keys += [observation.id, *(r.code for r in observation.reasons)]
    for key in keys:
        for name in states(key):
            assert name in QUESTIONNAIRE_FIELDS, (key, f"states {name}, which Mes réponses never asks")
            assert answered(name, person, project), (key, f"states {name}, not answered")
        for frustration in FRUSTRATIONS.get(key, ()):
            if frustration in person.profile.frustrations:
                break
        else:
            if key in FRUSTRATIONS:
                raise AssertionError((key, "states a difficulty the person did not choose"))
        chosen = set(FRUSTRATIONS.get(key, ())) & set(person.profile.frustrations)
        assert not chosen or chosen & OFFERED_FRUSTRATIONS, (key, "a difficulty Mes réponses does not offer")
