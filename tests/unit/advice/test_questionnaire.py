"""Advice reads, states and asks only the answers of "Mes réponses": the same fields and frustrations as the
web questionnaire, a claim only from a field it asks, a question only with a page to answer it."""

from __future__ import annotations

import re
from pathlib import Path

from services.advice.advise import advise
from services.advice.catalogue import catalogue
from services.advice.modules.base import NO_EXPERIENCE
from services.advice.questionnaire import QUESTIONNAIRE
from shared.contracts.vocabulary import Frustration
from tests.unit.advice.personas import situation

ONBOARDING = Path(__file__).resolve().parents[3] / "services" / "gateway" / "web" / "js" / "pages" / "onboarding.js"
# The "job" step saves the job title code and the ROME code; advice reads the ROME code.
SAVED_AS = {"job_code_ogr": "rome_code"}
# Not asked by "Mes réponses" today. Advice reads them as unanswered and never states them: the owner of the
# profile page is to add them (issue 18). A reason that states one of them is kept for that day.
NOT_ASKED_YET = {"driving_licenses", "has_handicap", "family_situation", "languages", "min_salary"}


def web_questionnaire() -> tuple[set[str], set[str]]:
    """Return the fields the web questionnaire's STEPS save, and the frustrations it offers."""
    source = ONBOARDING.read_text(encoding="utf-8")
    block = source[source.index("export const STEPS = [") : source.index("];", source.index("export const STEPS = ["))]
    fields = {SAVED_AS.get(name, name) for name in re.findall(r"field: '(\w+)'", block)}
    offered = source[source.index("const FRUSTRATIONS = [") : source.index("];", source.index("const FRUSTRATIONS"))]
    return fields, set(re.findall(r"'([A-Z_]+)'", offered))


def test_advice_knows_the_same_questions_and_frustrations_as_the_web_questionnaire() -> None:
    fields, frustrations = web_questionnaire()
    assert fields == QUESTIONNAIRE.fields, "a question was added or removed: update services/advice/questionnaire.py"
    assert frustrations == {str(f) for f in QUESTIONNAIRE.frustrations}


def test_every_answer_a_reason_states_is_asked_by_mes_reponses_or_known_to_be_missing_there() -> None:
    stated = {name for answers in catalogue().reason_answers.values() for name in answers}
    assert stated - QUESTIONNAIRE.fields == NOT_ASKED_YET & stated, "say in NOT_ASKED_YET what is not asked yet"


def test_an_answer_the_questionnaire_does_not_ask_is_read_as_unanswered() -> None:
    person = situation(
        profile={
            "driving_licenses": [],
            "has_handicap": True,
            "family_situation": "SINGLE_PARENT_SITUATION",
            "languages": [{"code": "fr", "spoken": "BASIC"}],
            "frustrations": ["STAY_AT_HOME_PARENT", "RACE_DISCRIMINATION", "RESUME"],
        },
        project={"min_salary": 50_000},
    )
    assert person.car_license is None and person.handicap is None and person.family is None
    assert person.speaks_french is None and person.min_salary is None
    assert person.frustrations == {Frustration.RESUME}  # the only one of the three the questionnaire offers


def test_never_done_the_job_is_no_experience_in_it_and_its_years_are_not_asked() -> None:
    # The questionnaire skips the years of experience after "never done this job".
    person = situation(
        project={"previous_job_similarity": "NEVER_DONE", "seniority": None}, missing_fields=["seniority"]
    )
    assert person.seniority == NO_EXPERIENCE
    assert "seniority" not in dict(advise(person).questions)


def test_advice_asks_only_questions_of_mes_reponses_and_the_diagnosis_missing_answers_beside_it() -> None:
    # Before issue 18 a "complete your profile" advice (3 stars for anyone with a missing answer) asked them,
    # and min_salary (not asked anywhere in the web client) was asked too.
    person = situation(
        profile={"year_of_birth": None},
        project={"min_salary": None, "total_interview_count": None, "passionate_level": None},
        missing_fields=["year_of_birth", "min_salary", "passionate_level"],
    )
    scored = advise(person)
    asked = [name for name, _ in scored.questions]
    assert set(asked) <= QUESTIONNAIRE.fields and "min_salary" not in asked
    assert {"year_of_birth", "total_interview_count", "passionate_level"} <= set(asked)
    assert dict(scored.questions)["passionate_level"] == ()  # the diagnosis needs it; no advice does
    assert "complete-profile" not in {a.advice_id for a in scored.ranked}
    assert all(set(a.missing) <= QUESTIONNAIRE.fields for a in scored.ranked)
