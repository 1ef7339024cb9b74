"""Advice on the network: contacts, events and local associations."""

from __future__ import annotations

from collections.abc import Callable

from services.advice.modules.base import (
    NOT_RELEVANT,
    AdviceModule,
    Reason,
    Score,
    Situation,
    figure_reason,
    needs,
)
from shared.contracts.vocabulary import Frustration

# Enum members bound once: reading a member from its class costs ~0.2 µs in CPython 3.11,
# paid for every person by every module.
_MOTIVATION = Frustration.MOTIVATION
MOTIVATION = Reason("frustration-motivation")

NETWORK_LEVEL_1 = Reason("network-level-1")
# Verdicts without figures, built once: modules return them without allocating.
NETWORK_LEVEL_1_1 = Score(1.0, (NETWORK_LEVEL_1,))
MOTIVATION_2 = Score(2.0, (MOTIVATION,))


def _network_level(level: int) -> Callable[[Situation], Score]:
    """Return the module for people whose network is weak (1), medium (2) or good (3)."""

    verdict = Score(2.0, (Reason(f"network-level-{level}"),))

    def score(s: Situation) -> Score:
        if s.network is None:
            # Only the first level asks, so the question is asked once.
            return needs("network_estimate") if level == 1 else NOT_RELEVANT
        if s.network != level:
            return NOT_RELEVANT
        if s.top_channel == "application_network_share":
            return Score(3.0, (figure_reason("channel-network", s, "application_network_share"),))
        return verdict

    score.__name__ = f"network_application_level_{level}"
    score.__doc__ = "Use contacts to apply, adapted to how large the person's network is."
    return score


network_application = _network_level(1)
network_application_medium = _network_level(2)
network_application_good = _network_level(3)


def events(s: Situation) -> Score:
    """Return the score of professional events and meet-ups, to meet recruiters where hiring goes through contacts."""
    if s.top_channel == "application_network_share":
        return Score(2.0, (figure_reason("channel-network", s, "application_network_share"),))
    if s.network == 1:
        return NETWORK_LEVEL_1_1
    return NOT_RELEVANT


def association_help(s: Situation) -> Score:
    """Return the score of local associations that accompany job seekers, higher when motivation or time run low."""
    if _MOTIVATION in s.frustrations:
        return MOTIVATION_2
    if s.search_months is None:
        return needs("job_search_started_at")
    months = Reason("search-months", (("months", round(s.search_months)),))
    if s.search_months >= 12:
        return Score(2.0, (months,))
    if s.search_months >= 6:
        return Score(1.0, (months,))
    return NOT_RELEVANT


MODULES = (
    AdviceModule("network-application", network_application, ("channel-network", "network-level-1")),
    AdviceModule("network-application-medium", network_application_medium, ("channel-network", "network-level-2")),
    AdviceModule("network-application-good", network_application_good, ("channel-network", "network-level-3")),
    AdviceModule("events", events, ("channel-network", "network-level-1")),
    AdviceModule("association-help", association_help, ("frustration-motivation", "search-months")),
)
