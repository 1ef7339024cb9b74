"""The overall score (0-100) and which summary sentence fits (pure).

Each main challenge has a score range, after the reference product's
templates (undefined project 25, stuck market 40, missing diploma 55-62,
enhance methods 48-68, start your search 65-75, bravo 60-80). Within the
range, the mean of the sub-diagnostic scores places the person: the better the
rest of the situation, the higher the score. Sub-diagnostics are scored only
from what the person declared and from official figures (observations.py), so
no part of the score comes from the market model.

When the main challenge was reached through an unanswered fact (no interview
count yet, no word about the diplomas), its sentence says so instead of
stating it as a fact about the person.
"""

from __future__ import annotations

from services.diagnostic.models import ChallengeOutcome, Params, SubDiagnosis
from services.diagnostic.situation import Situation
from shared.contracts.vocabulary import MainChallenge

SCORE_RANGES: dict[MainChallenge, tuple[int, int]] = {
    MainChallenge.UNDEFINED_PROJECT: (20, 30),
    MainChallenge.STUCK_MARKET: (35, 45),
    MainChallenge.FIND_WHAT_YOU_LIKE: (40, 50),
    MainChallenge.MISSING_DIPLOMA: (52, 62),
    MainChallenge.ENHANCE_METHODS_TO_INTERVIEW: (48, 68),
    MainChallenge.START_YOUR_SEARCH: (65, 75),
    MainChallenge.BRAVO: (70, 85),
}
LONG_SEARCH_MONTHS = 6.0


def overall_score(main: MainChallenge | None, subs: tuple[SubDiagnosis, ...]) -> int | None:
    """Return the overall score (None only for a diagnosis without a main challenge, kept from older versions)."""
    if main is None:
        return None
    low, high = SCORE_RANGES[main]
    scores = [sub.score for sub in subs if sub.score is not None]
    position = sum(scores) / len(scores) / 100 if scores else 0.5
    return round(low + (high - low) * position)


def _unanswered(outcomes: tuple[ChallengeOutcome, ...], challenge: MainChallenge, field: str) -> bool:
    outcome = next((o for o in outcomes if o.challenge is challenge), None)
    return outcome is not None and field in outcome.missing_fields


def overall_sentence(
    s: Situation, main: MainChallenge | None, outcomes: tuple[ChallengeOutcome, ...]
) -> tuple[str, Params]:
    """Return the key of the summary sentence (under ``overall:``) and its parameters."""
    if main is None:
        return "missing-data", {}
    if main is MainChallenge.UNDEFINED_PROJECT:
        return "undefined-project.no-target", {}
    if main is MainChallenge.STUCK_MARKET:
        # Only alternatives with official figures exist (alternatives.py); checked again here.
        alternatives = [a for a in (s.market.alternatives if s.market else []) if a.provenance == "real"]
        close = [a for a in alternatives if a.relation in ("close-job", "evolution")]
        if close:
            return "stuck-market.close-jobs", {"rome": close[0].rome_code}
        if alternatives:
            return "stuck-market.elsewhere", {"departement": alternatives[0].departement}
        return "stuck-market.default", {}
    if main is MainChallenge.MISSING_DIPLOMA:
        if _unanswered(outcomes, main, "training_fulfillment_estimate"):
            return "missing-diploma.unanswered", {}
        route = s.market is not None and s.market.requirements is not None and s.market.requirements.experience_route
        return ("missing-diploma.experience-route" if route else "missing-diploma.default"), {}
    if main is MainChallenge.ENHANCE_METHODS_TO_INTERVIEW:
        if _unanswered(outcomes, main, "total_interview_count"):
            return "enhance-methods-to-interview.unanswered", {}
        none_yet = (s.project.total_interview_count or 0) <= 0
        return ("enhance-methods-to-interview.no-interview" if none_yet else "enhance-methods-to-interview.few"), {}
    if main is MainChallenge.BRAVO:
        if any(o.status == "missing-data" for o in outcomes):
            return "bravo.unanswered", {}
        long_search = s.search_months is not None and s.search_months >= LONG_SEARCH_MONTHS
        return ("bravo.long-search" if long_search else "bravo.default"), {}
    return f"{main.value}.default", {}
