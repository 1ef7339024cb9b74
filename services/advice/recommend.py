"""From a diagnosis to recommendations: ranked advice, strategies and proposed actions (pure)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from services.advice.advise import Advice, advise
from services.advice.catalogue import Catalogue
from services.advice.modules.base import situation_of
from services.advice.plan import PlanAction, Proposal, propose_actions
from services.advice.strategize import ScoredStrategy, strategize
from shared.contracts.diagnostic import DiagnosisReadyData


@dataclass(frozen=True, slots=True)
class Recommendation:
    advice: Advice
    strategies: tuple[ScoredStrategy, ...]
    proposals: tuple[Proposal, ...]


def recommend(diagnosis: DiagnosisReadyData, today: date, catalogue: Catalogue) -> Recommendation:
    """Return the advice, strategies and actions to propose for a diagnosis."""
    situation = situation_of(diagnosis, today, catalogue.job_facts)
    advice = advise(situation)
    strategies = strategize(
        catalogue,
        advice.scores,
        main_challenge=situation.main_challenge,
        needs_attention=situation.needs_attention,
        overall_score=situation.overall_score,
    )
    return Recommendation(advice, tuple(strategies), tuple(propose_actions(advice, strategies, catalogue)))


def fingerprint(recommendation: Recommendation, actions: Sequence[PlanAction]) -> str:
    """Return a hash of what the person would see: equal fingerprints mean nothing new to announce."""
    parts = [f"{a.advice_id}:{a.stars}:{','.join(r.key for r in a.reasons)}" for a in recommendation.advice.ranked]
    parts += [f"{s.strategy_id}:{s.score}:{s.is_principal}" for s in recommendation.strategies]
    parts += sorted(f"{a.action_id}:{a.due_on}:{a.status}" for a in actions)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
