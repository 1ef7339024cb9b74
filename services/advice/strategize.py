"""Strategies: the ways to tackle the person's challenges, scored as in the reference (pure).

score = min(trigger × 100 / 3, 100 − overall score), where the trigger is the
best score among the strategy's trigger modules. The best strategy is the
principal one; a score of 10 or less makes a strategy secondary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from services.advice.catalogue import Catalogue
from services.advice.modules.base import SHOWN_FROM
from shared.contracts.vocabulary import MainChallenge

SECONDARY_AT_MOST = 10
MAX_STRATEGIES = 10
# Without a score from the diagnosis (missing data), strategies are capped as for an average situation.
UNKNOWN_OVERALL_SCORE = 50


class ScoredStrategy(NamedTuple):
    strategy_id: str
    score: int
    trigger: float
    is_principal: bool
    is_secondary: bool
    advice_ids: tuple[str, ...]  # the strategy's advice shown to the person, best first


def strategize(
    catalogue: Catalogue,
    scores: Mapping[str, float],
    *,
    main_challenge: MainChallenge | None,
    needs_attention: frozenset[MainChallenge],
    overall_score: int | None,
) -> list[ScoredStrategy]:
    """Return the person's strategies, principal first (all strategies compete when the diagnosis lacks data)."""
    cap = 100 - (overall_score if overall_score is not None else UNKNOWN_OVERALL_SCORE)
    challenges = needs_attention | {main_challenge} if main_challenge is not None else needs_attention
    get = scores.get
    found = []
    for order, strategy_id, trigger_ids, advice_ids, attached in catalogue.strategies_for(challenges):
        trigger = 0.0
        for advice_id in trigger_ids:
            value = get(advice_id)
            if value is not None and value > trigger:
                trigger = value
        if trigger < SHOWN_FROM:
            continue
        shown = [advice_id for advice_id in advice_ids if get(advice_id, 0.0) >= SHOWN_FROM]
        if not shown:
            continue
        if len(shown) > 1:
            shown.sort(key=lambda advice_id: -scores[advice_id])
        score = max(0, min(round(trigger * 100 / 3), cap))
        found.append(
            ((-score, -trigger, main_challenge not in attached, order), strategy_id, score, trigger, tuple(shown))
        )
    found.sort()
    result: list[ScoredStrategy] = []
    for index, (_, strategy_id, score, trigger, advice_ids) in enumerate(found[:MAX_STRATEGIES]):
        secondary = score <= SECONDARY_AT_MOST
        result.append(ScoredStrategy(strategy_id, score, trigger, index == 0 and not secondary, secondary, advice_ids))
    return result
