"""Advice to explore: other jobs, other work settings, one's own company, volunteering."""

from __future__ import annotations

from services.advice.modules.base import (
    NOT_RELEVANT,
    USEFUL_TO_ANY_SEARCH_1,
    AdviceModule,
    Reason,
    Score,
    Situation,
    needs,
)
from shared.contracts.vocabulary import Frustration, MainChallenge, PassionLevel, PreviousJobSimilarity, ProjectKind

# Enum members bound once: reading a member from its class costs ~0.2 µs in CPython 3.11,
# paid for every person by every module.
_AGE_DISCRIMINATION = Frustration.AGE_DISCRIMINATION
_ALIMENTARY = PassionLevel.ALIMENTARY
_CREATE_OR_TAKE_OVER_COMPANY = ProjectKind.CREATE_OR_TAKE_OVER_COMPANY
_DONE_SIMILAR = PreviousJobSimilarity.DONE_SIMILAR
_DONE_THIS = PreviousJobSimilarity.DONE_THIS
_FIND_WHAT_YOU_LIKE = MainChallenge.FIND_WHAT_YOU_LIKE
_LIFE_GOAL = PassionLevel.LIFE_GOAL
_LIKEABLE = PassionLevel.LIKEABLE
_MOTIVATION = Frustration.MOTIVATION
_NEVER_DONE = PreviousJobSimilarity.NEVER_DONE
_NO_OFFERS = Frustration.NO_OFFERS
_PASSIONATING = PassionLevel.PASSIONATING
_RACE_DISCRIMINATION = Frustration.RACE_DISCRIMINATION
_REORIENTATION = ProjectKind.REORIENTATION
_SEX_DISCRIMINATION = Frustration.SEX_DISCRIMINATION
_UNDEFINED_PROJECT = MainChallenge.UNDEFINED_PROJECT
UNDEFINED = Reason("challenge-undefined-project")
FIND_WHAT_YOU_LIKE = Reason("challenge-find-what-you-like")
REORIENTATION = Reason("project-reorientation")
_EXPLORING = (_UNDEFINED_PROJECT, _FIND_WHAT_YOU_LIKE)
_DISCRIMINATION = (_AGE_DISCRIMINATION, _SEX_DISCRIMINATION, _RACE_DISCRIMINATION)

JOB_SEVERAL_SECTORS = Reason("job-several-sectors")
PROJECT_CREATE_COMPANY = Reason("project-create-company")
DISCRIMINATION_OR_NO_OFFERS = Reason("discrimination-or-no-offers")
FRUSTRATION_MOTIVATION = Reason("frustration-motivation")
NOT_PASSIONATE = Reason("not-passionate")
NEW_TO_JOB = Reason("new-to-job")
# Verdicts without figures, built once: modules return them without allocating.
REORIENTATION_1 = Score(1.0, (REORIENTATION,))
REORIENTATION_2 = Score(2.0, (REORIENTATION,))
PROJECT_CREATE_COMPANY_3 = Score(3.0, (PROJECT_CREATE_COMPANY,))
DISCRIMINATION_OR_NO_OFFERS_2 = Score(2.0, (DISCRIMINATION_OR_NO_OFFERS,))
DISCRIMINATION_OR_NO_OFFERS_1 = Score(1.0, (DISCRIMINATION_OR_NO_OFFERS,))
FRUSTRATION_MOTIVATION_2 = Score(2.0, (FRUSTRATION_MOTIVATION,))
NOT_PASSIONATE_1 = Score(1.0, (NOT_PASSIONATE,))
NEW_TO_JOB_1 = Score(1.0, (NEW_TO_JOB,))


def _exploring(s: Situation) -> Reason | None:
    if s.main_challenge is _UNDEFINED_PROJECT:
        return UNDEFINED
    if s.main_challenge is _FIND_WHAT_YOU_LIKE:
        return FIND_WHAT_YOU_LIKE
    return None


def _settled(s: Situation) -> bool:
    """Return True for someone who loves the job they already did: exploring is not their need."""
    return s.similarity is _DONE_THIS and s.passion in (_PASSIONATING, _LIFE_GOAL)


def _worth_a_look(s: Situation) -> Score:
    """Return the modest verdict for someone not settled in the job, citing what leaves room to explore."""
    if s.passion in (_ALIMENTARY, _LIKEABLE):
        return NOT_PASSIONATE_1
    if s.similarity in (_NEVER_DONE, _DONE_SIMILAR):
        return NEW_TO_JOB_1
    return USEFUL_TO_ANY_SEARCH_1


def personality_test(s: Situation) -> Score:
    """Return the score of a short interests test (RIASEC) to name what one likes doing."""
    reason = _exploring(s)
    if reason:
        return Score(2.0, (reason,))
    return NOT_RELEVANT if _settled(s) else _worth_a_look(s)


def jobflix(s: Situation) -> Score:
    """Return the score of short videos of people at work, to discover jobs."""
    reason = _exploring(s)
    if reason:
        return Score(2.0, (reason,))
    if s.kind is _REORIENTATION:
        return REORIENTATION_1
    return NOT_RELEVANT


def explore_other_jobs(s: Situation) -> Score:
    """Return how much it helps to look at jobs that use the same skills."""
    reason = _exploring(s)
    if reason:
        return Score(3.0, (reason,))
    if s.kind is _REORIENTATION:
        return REORIENTATION_2
    return NOT_RELEVANT if _settled(s) else _worth_a_look(s)


def other_work_env(s: Situation) -> Score:
    """Return the score of the same job in another sector or setting, when the job spans several."""
    if not s.job.several_sectors:
        return NOT_RELEVANT
    lukewarm = s.passion in (_ALIMENTARY, _LIKEABLE)
    long_search = s.search_months is not None and s.search_months >= 6
    reasons = (JOB_SEVERAL_SECTORS,)
    return Score(2.0 if lukewarm or long_search else 1.0, reasons)


def create_your_company(s: Situation) -> Score:
    """Return how much it helps to create one's own activity (with ADIE, BGE or France Travail's support)."""
    if s.kind is _CREATE_OR_TAKE_OVER_COMPANY:
        return PROJECT_CREATE_COMPANY_3
    triggers = [f for f in (*_DISCRIMINATION, _NO_OFFERS) if f in s.frustrations]
    long_search = s.search_months is not None and s.search_months > 3
    if triggers and long_search:
        return DISCRIMINATION_OR_NO_OFFERS_2
    if triggers:
        return DISCRIMINATION_OR_NO_OFFERS_1
    return NOT_RELEVANT


def volunteer(s: Situation) -> Score:
    """Return the score of volunteering: keep busy, useful and visible; higher after nine months of search."""
    if _MOTIVATION in s.frustrations:
        return FRUSTRATION_MOTIVATION_2
    if s.search_months is None:
        return needs("job_search_started_at")
    months = Reason("search-months", (("months", round(s.search_months)),))
    if s.search_months >= 9:
        return Score(2.0, (months,))
    if s.search_months >= 3:
        return Score(1.0, (months,))
    return NOT_RELEVANT


MODULES = (
    AdviceModule(
        "personality-test",
        personality_test,
        (
            "challenge-undefined-project",
            "challenge-find-what-you-like",
            "not-passionate",
            "new-to-job",
            "useful-to-any-search",
        ),
    ),
    AdviceModule(
        "jobflix", jobflix, ("challenge-undefined-project", "challenge-find-what-you-like", "project-reorientation")
    ),
    AdviceModule(
        "explore-other-jobs",
        explore_other_jobs,
        (
            "challenge-undefined-project",
            "challenge-find-what-you-like",
            "project-reorientation",
            "not-passionate",
            "new-to-job",
            "useful-to-any-search",
        ),
    ),
    AdviceModule("other-work-env", other_work_env, ("job-several-sectors",)),
    AdviceModule("create-your-company", create_your_company, ("project-create-company", "discrimination-or-no-offers")),
    AdviceModule("volunteer", volunteer, ("frustration-motivation", "search-months")),
)
