"""Strategies: the ways to tackle the person's challenges, scored as in the reference (pure).

score = min(trigger × 100 / 3, 100 − overall score), where the trigger is the
best score among the strategy's trigger modules; a score of 10 or less makes a
strategy secondary.

Which strategies: those tied to the main challenge or to a challenge that needs
attention (all of them for a diagnosis without any), minus those whose texts
take a verdict for granted (``presumes``, e.g. a stuck market) that the
diagnosis did not reach.

Order, and so the principal strategy (the first one, unless it is secondary),
is decided by these keys in turn — the same rule is written in
``content/README.md``:

1. not secondary before secondary;
2. the strategy that serves the main challenge first: the earlier a strategy
   lists the main challenge in its ``challenges``, the more directly it serves
   it (first-listed, then second-listed, ...; not listed comes last);
3. the higher score, then the higher trigger;
4. the order of ``content/strategies.yaml``.

Scores are often equal (capped by the same overall score), so rule 2 — not
chance — names the principal strategy.
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
# The place of a main challenge a strategy does not list: after every listed one.
NOT_LISTED = 99


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
    for row in catalogue.strategies_for(challenges):
        if row.presumes and not row.presumes <= challenges:
            continue  # its texts take for granted a verdict the diagnosis did not reach
        trigger = 0.0
        for advice_id in row.trigger_ids:
            value = get(advice_id)
            if value is not None and value > trigger:
                trigger = value
        if trigger < SHOWN_FROM:
            continue
        shown = [advice_id for advice_id in row.advice_ids if get(advice_id, 0.0) >= SHOWN_FROM]
        if not shown:
            continue
        if len(shown) > 1:
            shown.sort(key=lambda advice_id: -scores[advice_id])
        score = max(0, min(round(trigger * 100 / 3), cap))
        serves = row.listed.index(main_challenge) if main_challenge in row.listed else NOT_LISTED
        key = (score <= SECONDARY_AT_MOST, serves, -score, -trigger, row.order)
        found.append((key, row.strategy_id, score, trigger, tuple(dict.fromkeys(shown))))
    found.sort()
    result: list[ScoredStrategy] = []
    for index, (_, strategy_id, score, trigger, advice_ids) in enumerate(found[:MAX_STRATEGIES]):
        secondary = score <= SECONDARY_AT_MOST
        result.append(ScoredStrategy(strategy_id, score, trigger, index == 0 and not secondary, secondary, advice_ids))
    return result
