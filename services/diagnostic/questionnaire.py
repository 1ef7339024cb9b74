"""The questions the diagnosis may ask beside its result, and their true answer sets (pure).

A field is asked only when the questionnaire asks it of this person
(``shared/contracts/questionnaire.py``: the years of experience are skipped for
someone who never did the job, so the diagnosis never asks them either).

Each question comes with every true answer, "none" and "I do not know"
included where they are true ones, and the exact profile changes each answer
saves. The labels are texts under ``answers:`` in content/questions.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from shared.contracts.vocabulary import (
    Degree,
    Frequency,
    PassionLevel,
    PreviousJobSimilarity,
    ProjectKind,
    Seniority,
    SeniorityAnswer,
    TrainingFulfillment,
)

Target = Literal["project", "profile"]
# choice: pick one answer; number / year / month: an answer may need a typed value for the field;
# job / city: answered on the questionnaire's own screen (a search list).
InputKind = Literal["choice", "job", "city"]
TypedInput = Literal["number", "year", "month"]


@dataclass(frozen=True, slots=True)
class Answer:
    """One true answer: its text key (under ``answers:``) and what it saves in the profile."""

    key: str
    changes: dict[str, Any] = field(default_factory=dict)
    typed: TypedInput | None = None  # the answer needs a typed value for the question's field


@dataclass(frozen=True, slots=True)
class Question:
    field: str
    target: Target
    input: InputKind
    answers: tuple[Answer, ...] = ()


def _choices(name: str, values: tuple[Any, ...]) -> tuple[Answer, ...]:
    return tuple(Answer(f"{name}.{value}", {name: str(value)}) for value in values)


QUESTIONS: dict[str, Question] = {
    q.field: q
    for q in (
        Question("rome_code", "project", "job"),
        Question("city_insee", "project", "city"),
        Question("kind", "project", "choice", _choices("kind", tuple(ProjectKind))),
        Question(
            "job_search_started_at",
            "project",
            "choice",
            (
                Answer(
                    "job_search_started_at.not-started",
                    {"job_search_has_not_started": True, "job_search_started_at": None},
                ),
                Answer("job_search_started_at.since", {"job_search_has_not_started": False}, "month"),
            ),
        ),
        Question("passionate_level", "project", "choice", _choices("passionate_level", tuple(PassionLevel))),
        Question("year_of_birth", "profile", "choice", (Answer("year_of_birth.year", {}, "year"),)),
        Question(
            "previous_job_similarity",
            "project",
            "choice",
            _choices("previous_job_similarity", tuple(PreviousJobSimilarity)),
        ),
        Question(
            "seniority",
            "project",
            "choice",
            # "None at all" is an answer of its own (SeniorityAnswer.NO_SENIORITY), published as no_seniority.
            (
                Answer("seniority.none", {"seniority": SeniorityAnswer.NO_SENIORITY.value}),
                *_choices("seniority", tuple(Seniority)),
            ),
        ),
        Question("highest_degree", "profile", "choice", _choices("highest_degree", tuple(Degree))),
        Question(
            "training_fulfillment_estimate",
            "project",
            "choice",
            _choices("training_fulfillment_estimate", tuple(TrainingFulfillment)),
        ),
        Question(
            "total_interview_count",
            "project",
            "choice",
            (
                Answer("total_interview_count.none", {"total_interview_count": 0}),
                Answer("total_interview_count.some", {}, "number"),
            ),
        ),
        Question(
            "weekly_applications_estimate",
            "project",
            "choice",
            _choices("weekly_applications_estimate", tuple(Frequency)),
        ),
    )
}
