"""Advice on job interviews and self-confidence."""

from __future__ import annotations

from services.advice.modules.base import NOT_RELEVANT, AdviceModule, Reason, Score, Situation, needs
from shared.contracts.vocabulary import Frustration, MainChallenge

# Enum members bound once: reading a member from its class costs ~0.2 µs in CPython 3.11,
# paid for every person by every module.
_ATYPIC_PROFILE = Frustration.ATYPIC_PROFILE
_ENHANCE_METHODS_TO_INTERVIEW = MainChallenge.ENHANCE_METHODS_TO_INTERVIEW
_INTERVIEW = Frustration.INTERVIEW
_MOTIVATION = Frustration.MOTIVATION
_SELF_CONFIDENCE = Frustration.SELF_CONFIDENCE
INTERVIEW = Reason("frustration-interview")
SELF_CONFIDENCE = Reason("frustration-self-confidence")
ATYPIC = Reason("frustration-atypic-profile")
ENHANCE_METHODS = Reason("challenge-enhance-methods")
MOTIVATION = Reason("frustration-motivation")

# Verdicts without figures, built once: modules return them without allocating.
ENHANCE_METHODS_3 = Score(3.0, (ENHANCE_METHODS,))
INTERVIEW_3 = Score(3.0, (INTERVIEW,))
ENHANCE_METHODS_1 = Score(1.0, (ENHANCE_METHODS,))
SELF_CONFIDENCE_3 = Score(3.0, (SELF_CONFIDENCE,))


def improve_interview(s: Situation) -> Score:
    """Return how much it helps to prepare interviews when they do not turn into offers."""
    if s.main_challenge is _ENHANCE_METHODS_TO_INTERVIEW:
        return ENHANCE_METHODS_3
    if _INTERVIEW in s.frustrations:
        return INTERVIEW_3
    if s.search_months is None or s.search_months < 3:
        return NOT_RELEVANT
    if s.interviews is None:
        return needs("total_interview_count")
    if s.interviews >= 3:
        return Score(2.0, (Reason("interviews-without-offer", (("interviews", s.interviews),)),))
    return NOT_RELEVANT


def body_language(s: Situation) -> Score:
    """Return the score of posture, voice and gestures in interviews."""
    frustrations = s.frustrations
    reasons = tuple(
        reason
        for frustration, reason in (
            (_INTERVIEW, INTERVIEW),
            (_SELF_CONFIDENCE, SELF_CONFIDENCE),
            (_ATYPIC_PROFILE, ATYPIC),
        )
        if frustration in frustrations
    )
    if len(reasons) >= 2:
        return Score(3.0, reasons)
    if reasons:
        return Score(2.0, reasons)
    if s.main_challenge is _ENHANCE_METHODS_TO_INTERVIEW:
        return ENHANCE_METHODS_1
    return NOT_RELEVANT


def confidence_boost(s: Situation) -> Score:
    """Return how much it helps to name one's strengths again after a long search or a blow to self-confidence."""
    if _SELF_CONFIDENCE in s.frustrations:
        return SELF_CONFIDENCE_3
    if _MOTIVATION in s.frustrations and s.search_months is not None and s.search_months >= 12:
        return Score(2.0, (MOTIVATION, Reason("search-months", (("months", round(s.search_months)),))))
    return NOT_RELEVANT


MODULES = (
    AdviceModule(
        "improve-interview",
        improve_interview,
        ("challenge-enhance-methods", "frustration-interview", "interviews-without-offer"),
    ),
    AdviceModule(
        "body-language",
        body_language,
        (
            "frustration-interview",
            "frustration-self-confidence",
            "frustration-atypic-profile",
            "challenge-enhance-methods",
        ),
    ),
    AdviceModule(
        "confidence-boost", confidence_boost, ("frustration-self-confidence", "frustration-motivation", "search-months")
    ),
)
