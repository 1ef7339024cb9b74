"""The questions asked beside the diagnosis: only what the questionnaire asks this person, each with
its true answer set, in every locale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from services.diagnostic.challenges import FIELD_PRIORITY
from services.diagnostic.questionnaire import QUESTIONS
from services.diagnostic.render import Renderer
from shared.contracts.questionnaire import QUESTIONNAIRE_FIELDS, asked
from shared.contracts.vocabulary import Locale, PreviousJobSimilarity
from tests.unit.diagnostic.builders import project

ONBOARDING = Path(__file__).resolve().parents[3] / "services" / "gateway" / "web" / "js" / "pages" / "onboarding.js"
# The "job" step is stored by its job title code and its ROME code; the diagnosis reads the ROME code.
SAVED_AS = {"job_code_ogr": "rome_code"}


def questionnaire_steps() -> dict[str, str]:
    """Return each field the web questionnaire asks, with its ``skipIf`` source ('' when never skipped)."""
    source = ONBOARDING.read_text(encoding="utf-8")
    block = source[source.index("export const STEPS = [") : source.index("];", source.index("export const STEPS = ["))]
    steps = {}
    for step in re.findall(r"\{ id: '[^']+'.*?\},?\n(?=  \{ id:|$)", block + "\n", flags=re.DOTALL):
        name = re.search(r"field: '(\w+)'", step)
        assert name, step
        skip = re.search(r"skipIf: \(answers\) => (.*?) \}", step, flags=re.DOTALL)
        steps[SAVED_AS.get(name.group(1), name.group(1))] = skip.group(1).strip() if skip else ""
    return steps


def test_the_diagnosis_knows_the_same_questions_and_skip_rules_as_the_questionnaire() -> None:
    steps = questionnaire_steps()
    assert set(steps) == QUESTIONNAIRE_FIELDS
    skipped = {name: rule for name, rule in steps.items() if rule}
    # One skip rule today: the years of experience, after "never done this job". If the questionnaire
    # gains another, questionnaire.asked must learn it too.
    assert skipped == {"seniority": "answers.previous_job_similarity === 'NEVER_DONE'"}
    never = project(previous_job_similarity="NEVER_DONE")
    assert not asked("seniority", never)
    for similarity in (None, *(s for s in PreviousJobSimilarity if s is not PreviousJobSimilarity.NEVER_DONE)):
        assert asked("seniority", project(previous_job_similarity=similarity))


def test_every_field_the_diagnosis_may_ask_is_in_the_questionnaire_and_has_a_question() -> None:
    assert set(FIELD_PRIORITY) <= QUESTIONNAIRE_FIELDS
    assert set(FIELD_PRIORITY) == set(QUESTIONS)
    for name, question in QUESTIONS.items():
        assert question.input in ("job", "city") or question.answers, name


@pytest.mark.parametrize(
    ("name", "true_answer"),
    [
        ("total_interview_count", {"total_interview_count": 0}),
        ("seniority", {"seniority": "NO_SENIORITY"}),
        ("training_fulfillment_estimate", {"training_fulfillment_estimate": "TRAINING_FULFILLMENT_NOT_SURE"}),
        ("job_search_started_at", {"job_search_has_not_started": True, "job_search_started_at": None}),
    ],
)
def test_none_and_i_do_not_know_are_offered_where_they_are_true_answers(
    name: str, true_answer: dict[str, object]
) -> None:
    assert true_answer in [a.changes for a in QUESTIONS[name].answers]


@pytest.mark.parametrize("locale", list(Locale))
def test_every_question_renders_with_its_answers_in_every_locale(locale: Locale) -> None:
    renderer = Renderer(locale=locale)
    for name in FIELD_PRIORITY:
        view = renderer.question(name)
        assert view.question and "{" not in view.question
        assert all(a.label and "{" not in a.label for a in view.answers)
        labels = [a.label for a in view.answers]
        assert len(set(labels)) == len(labels), labels
        assert view.target == ("profile" if name in ("year_of_birth", "highest_degree") else "project")
