"""Ranked advice: every module scored for one person, exclusions applied, best first (pure).

The answers that are still missing are not advice: they come back as ``questions``
(fields of the questionnaire only, those that refine the most advice first, then
those the diagnosis still needs), to be asked beside the advice. The page shows
the first ``FIRST_SHOWN`` advice and the rest behind "see more".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from services.advice.modules.base import (
    NOT_RELEVANT,
    SHOWN_FROM,
    AdviceModule,
    Reason,
    Score,
    Situation,
    new_tuple,
)
from services.advice.modules.registry import MODULES
from services.advice.questionnaire import QUESTIONNAIRE

_BY_SCORE = itemgetter(1)
# Advice shown before "see more": a dozen is what a person reads; the rest ranks lower.
FIRST_SHOWN = 12


class ScoredAdvice(NamedTuple):
    """One advice module's result for the person (stars: the score shown as 0 to 3 stars)."""

    advice_id: str
    score: float
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]
    stars: int


@dataclass(frozen=True, slots=True)
class Advice:
    """The person's advice: what to show, and what to ask to refine it."""

    ranked: tuple[ScoredAdvice, ...]  # shown, best first
    scores: Mapping[str, float]  # every module's score after exclusions (strategies use them)
    questions: tuple[tuple[str, tuple[str, ...]], ...]  # (missing field, advice ids it would refine), most useful first


def stars(score: float) -> int:
    """Return a score shown as 0 to 3 stars."""
    return 3 if score >= 3 else int(score)


def score_modules(situation: Situation, modules: Sequence[AdviceModule] = MODULES) -> list[tuple[str, Score]]:
    """Return every module's score for the situation, in registry order."""
    return [(module.advice_id, module.score(situation)) for module in modules]


def rank(
    scores: Sequence[tuple[str, Score]],
    *,
    asked: frozenset[str] = QUESTIONNAIRE.fields,
    also_ask: Sequence[str] = (),
) -> Advice:
    """Return the advice to show, best first (ties keep registry order), and the questions to ask.

    Only fields in ``asked`` (the questionnaire's) are asked; ``also_ask`` adds the answers the diagnosis
    still needs, after those that refine advice.
    """
    triggered = [(advice_id, score) for advice_id, score in scores if score is not NOT_RELEVANT]
    excluded: set[str] = set()
    for _, score in triggered:
        if score.excludes and score.value >= SHOWN_FROM:
            excluded.update(score.excludes)
    shown: list[ScoredAdvice] = []
    values: dict[str, float] = {}
    wanted: dict[str, list[str]] = {}
    for advice_id, (value, reasons, missing, _) in triggered:
        if excluded and advice_id in excluded:
            continue
        if missing and not asked.issuperset(missing):
            missing = tuple(name for name in missing if name in asked)
        values[advice_id] = value  # a module absent from the scores scored 0
        if value >= SHOWN_FROM:
            shown.append(new_tuple(ScoredAdvice, (advice_id, value, reasons, missing, 3 if value >= 3 else int(value))))
        for name in missing:
            wanted.setdefault(name, []).append(advice_id)
    shown.sort(key=_BY_SCORE, reverse=True)  # stable, even reversed: registry order breaks ties
    questions = sorted(wanted.items(), key=lambda item: len(item[1]), reverse=True) if wanted else []
    for name in also_ask:
        if name not in wanted and name in asked:
            wanted[name] = []
            questions.append((name, wanted[name]))
    return Advice(
        ranked=tuple(shown),
        scores=values,
        questions=tuple((name, tuple(ids)) for name, ids in questions),
    )


_CALLS = tuple((module.advice_id, module.score) for module in MODULES)


def advise(situation: Situation, modules: Sequence[AdviceModule] = MODULES) -> Advice:
    """Return the person's ranked advice and the questions to ask beside it."""
    if modules is MODULES:
        # The hot path, once per person: the registry's calls without per-module attribute lookups.
        scores = [(advice_id, score(situation)) for advice_id, score in _CALLS]
    else:
        scores = score_modules(situation, modules)
    return rank(scores, asked=situation.asked, also_ask=situation.profile_missing)
