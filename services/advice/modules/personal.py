"""Advice about the person's situation: age, family, health, rights, motivation.

The answers still missing are not advice: they are asked beside it (``advise.rank``, ``questions``).
"""

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
from shared.contracts.vocabulary import FamilySituation, Frustration, Gender, ProjectKind

# Enum members bound once: reading a member from its class costs ~0.2 µs in CPython 3.11,
# paid for every person by every module.
_AGE_DISCRIMINATION = Frustration.AGE_DISCRIMINATION
_CHILD_CARE = Frustration.CHILD_CARE
_FEMININE = Gender.FEMININE
_FIND_A_NEW_JOB = ProjectKind.FIND_A_NEW_JOB
_HANDICAPED = Frustration.HANDICAPED
_RACE_DISCRIMINATION = Frustration.RACE_DISCRIMINATION
_SEX_DISCRIMINATION = Frustration.SEX_DISCRIMINATION
_SINGLE_PARENT = Frustration.SINGLE_PARENT
_SINGLE_PARENT_SITUATION = FamilySituation.SINGLE_PARENT_SITUATION
_STAY_AT_HOME_PARENT = Frustration.STAY_AT_HOME_PARENT
_TIME_MANAGEMENT = Frustration.TIME_MANAGEMENT
_DISCRIMINATION = (_AGE_DISCRIMINATION, _SEX_DISCRIMINATION, _RACE_DISCRIMINATION)

FRUSTRATION_AGE_DISCRIMINATION = Reason("frustration-age-discrimination")
STAY_AT_HOME_PARENT = Reason("stay-at-home-parent")
HANDICAP = Reason("handicap")
FRUSTRATION_HANDICAP = Reason("frustration-handicap")
FRUSTRATION_TIME_MANAGEMENT = Reason("frustration-time-management")
FRUSTRATION_DISCRIMINATION = Reason("frustration-discrimination")
FRUSTRATION_CHILD_CARE = Reason("frustration-child-care")
SINGLE_PARENT = Reason("single-parent")
SEARCH_NOT_STARTED = Reason("search-not-started")
ONLINE_APPLICATIONS = Reason("online-applications")
# Verdicts without figures, built once: modules return them without allocating.
HANDICAP_3 = Score(3.0, (HANDICAP,))
FRUSTRATION_HANDICAP_3 = Score(3.0, (FRUSTRATION_HANDICAP,))
STAY_AT_HOME_MOTHER_3 = Score(3.0, (STAY_AT_HOME_PARENT,))
STAY_AT_HOME_PARENT_2 = Score(2.0, (STAY_AT_HOME_PARENT,))
FRUSTRATION_TIME_MANAGEMENT_3 = Score(3.0, (FRUSTRATION_TIME_MANAGEMENT,))
FRUSTRATION_DISCRIMINATION_2 = Score(2.0, (FRUSTRATION_DISCRIMINATION,))
FRUSTRATION_CHILD_CARE_3 = Score(3.0, (FRUSTRATION_CHILD_CARE,))
SINGLE_PARENT_1 = Score(1.0, (SINGLE_PARENT,))
SEARCH_NOT_STARTED_2 = Score(2.0, (SEARCH_NOT_STARTED,))
ONLINE_APPLICATIONS_1 = Score(1.0, (ONLINE_APPLICATIONS,))


def senior(s: Situation) -> Score:
    """Return the score of strengths and aids for job seekers over 45 (and over 40 who meet age discrimination)."""
    if s.age is None:
        return needs("year_of_birth")
    age = Reason("age", (("age", s.age),))
    if s.age >= 50:
        return Score(3.0, (age,))
    if s.age >= 45:
        return Score(2.0, (age,))
    if s.age > 40 and _AGE_DISCRIMINATION in s.frustrations:
        return Score(2.0, (age, FRUSTRATION_AGE_DISCRIMINATION))
    return NOT_RELEVANT


def long_term_mom(s: Situation) -> Score:
    """Return the score of coming back to work after years at home raising children."""
    if _STAY_AT_HOME_PARENT not in s.frustrations:
        return NOT_RELEVANT
    return STAY_AT_HOME_MOTHER_3 if s.gender is _FEMININE else STAY_AT_HOME_PARENT_2


def needs_for_handicap(s: Situation) -> Score:
    """Return the score of rights and support for workers with a disability (RQTH, Cap emploi, Agefiph)."""
    if s.handicap:
        return HANDICAP_3
    if _HANDICAPED in s.frustrations:
        return FRUSTRATION_HANDICAP_3
    return NOT_RELEVANT


def life_balance(s: Situation) -> Score:
    """Return how much it helps to keep time for oneself (left to the disability advice when it applies)."""
    if s.handicap:
        return NOT_RELEVANT
    return USEFUL_TO_ANY_SEARCH_1


def time_management(s: Situation) -> Score:
    """Return how much it helps to organise the search week with a routine."""
    if _TIME_MANAGEMENT in s.frustrations:
        return FRUSTRATION_TIME_MANAGEMENT_3
    return NOT_RELEVANT


def discrimination_rights(s: Situation) -> Score:
    """Return how much it helps to know one's rights against discrimination in hiring (Défenseur des droits)."""
    if any(f in s.frustrations for f in _DISCRIMINATION):
        return FRUSTRATION_DISCRIMINATION_2
    return NOT_RELEVANT


def childcare_solutions(s: Situation) -> Score:
    """Return the score of childcare during the search and the first months of a job (CAF, France Travail aid)."""
    if _CHILD_CARE in s.frustrations or _SINGLE_PARENT in s.frustrations:
        return FRUSTRATION_CHILD_CARE_3
    if s.family is _SINGLE_PARENT_SITUATION:
        return SINGLE_PARENT_1
    return NOT_RELEVANT


def unemployment_benefits(s: Situation) -> Score:
    """Return how much it helps to register with France Travail and check the unemployment benefit (ARE) early on."""
    if s.kind not in (_FIND_A_NEW_JOB, None):
        return NOT_RELEVANT
    if s.search_started is False:
        return SEARCH_NOT_STARTED_2
    if s.search_months is None:
        return needs("job_search_started_at")
    if s.search_months < 4:
        return Score(2.0, (Reason("search-recent", (("months", round(s.search_months)),)),))
    return NOT_RELEVANT


def digital_help(s: Situation) -> Score:
    """Return the score of free help with online applications and job sites (France Services, digital helpers)."""
    if s.age is not None and s.age >= 55:
        return ONLINE_APPLICATIONS_1
    return NOT_RELEVANT


MODULES = (
    AdviceModule("senior", senior, ("age", "frustration-age-discrimination")),
    AdviceModule("long-term-mom", long_term_mom, ("stay-at-home-parent",)),
    AdviceModule("needs-for-handicap", needs_for_handicap, ("handicap", "frustration-handicap")),
    AdviceModule("life-balance", life_balance, ("useful-to-any-search",)),
    AdviceModule("time-management", time_management, ("frustration-time-management",)),
    AdviceModule("discrimination-rights", discrimination_rights, ("frustration-discrimination",)),
    AdviceModule("childcare-solutions", childcare_solutions, ("frustration-child-care", "single-parent")),
    AdviceModule("unemployment-benefits", unemployment_benefits, ("search-not-started", "search-recent")),
    AdviceModule("digital-help", digital_help, ("online-applications",)),
)
