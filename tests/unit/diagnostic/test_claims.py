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

from services.diagnostic.claims import FRUSTRATIONS, answers_stated, states
from services.diagnostic.diagnose import diagnose
from services.diagnostic.render import Renderer
from shared.contracts.api.diagnostic import ObservationView, ReasonView
from shared.contracts.profile import ProfileUpdatedData, ProjectFacts
from shared.contracts.questionnaire import OFFERED_FRUSTRATIONS, QUESTIONNAIRE_FIELDS
from shared.contracts.vocabulary import Gender, Locale
from tests.unit.advice.test_questionnaire import web_questionnaire
from tests.unit.diagnostic.builders import TODAY
from tests.unit.diagnostic.test_every_person import markets, people


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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_sentence_about_the_person_links_to_a_question_of_mes_reponses(data: st.DataObject) -> None:
    questions, _ = web_questionnaire()
    person = data.draw(people())
    project = person.projects[0]
    diagnosis = diagnose(person, project, data.draw(markets(project)), TODAY)
    view = Renderer(locale=Locale.FR, gender=Gender.FEMININE).diagnosis(diagnosis, diagnosis_id="d", fingerprint="f")
    sentences: list[ReasonView | ObservationView] = [r for c in view.challenges for r in c.reasons]
    for sub in view.sub_diagnostics:
        sentences += [*sub.observations, *(r for o in sub.observations for r in o.reasons)]
    for sentence in sentences:
        key = sentence.code if isinstance(sentence, ReasonView) else sentence.id
        assert sentence.answers == answers_stated(key), key
        for name in sentence.answers:
            assert name in questions, (key, f"links to {name}, which the web questionnaire does not ask")
