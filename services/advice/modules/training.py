"""Advice on training and qualifications: courses, work-study, validation of experience, immersion."""

from __future__ import annotations

from services.advice.modules.base import (
    NOT_RELEVANT,
    AdviceModule,
    Reason,
    Score,
    Situation,
    needs,
)
from shared.contracts.vocabulary import (
    Frustration,
    MainChallenge,
    PreviousJobSimilarity,
    ProjectKind,
    Seniority,
    TrainingFulfillment,
)

# Enum members bound once: reading a member from its class costs ~0.2 µs in CPython 3.11,
# paid for every person by every module.
_CURRENTLY_IN_TRAINING = TrainingFulfillment.CURRENTLY_IN_TRAINING
_ENOUGH_EXPERIENCE = TrainingFulfillment.ENOUGH_EXPERIENCE
_EXPERIENCE = Frustration.EXPERIENCE
_FIND_WHAT_YOU_LIKE = MainChallenge.FIND_WHAT_YOU_LIKE
_FOREIGN_QUALIFICATIONS = Frustration.FOREIGN_QUALIFICATIONS
_LANGUAGE = Frustration.LANGUAGE
_MISSING_DIPLOMA = MainChallenge.MISSING_DIPLOMA
_NEVER_DONE = PreviousJobSimilarity.NEVER_DONE
_REORIENTATION = ProjectKind.REORIENTATION
_TRAINING = Frustration.TRAINING
_TRAINING_FULFILLMENT_NOT_SURE = TrainingFulfillment.TRAINING_FULFILLMENT_NOT_SURE
INTERMEDIARY = Seniority.INTERMEDIARY.rank
SENIOR = Seniority.SENIOR.rank
JUNIOR = Seniority.JUNIOR.rank
MISSING_DIPLOMA = Reason("challenge-missing-diploma")
TRAINING_FRUSTRATION = Reason("frustration-training")
FIND_WHAT_YOU_LIKE = Reason("challenge-find-what-you-like")
NEVER_DONE = Reason("never-done-job")
REORIENTATION = Reason("project-reorientation")

TRAINING_NOT_SURE = Reason("training-not-sure")
YOUNG_MAY_NEED_TRAINING = Reason("young-may-need-training")
# Verdicts without figures, built once: modules return them without allocating.
YOUNG_MAY_NEED_TRAINING_3 = Score(3.0, (YOUNG_MAY_NEED_TRAINING,))
YOUNG_MAY_NEED_TRAINING_2 = Score(2.0, (YOUNG_MAY_NEED_TRAINING,))
EXPERIENCE_COUNTS = Reason("experience-counts")
LONG_EXPERIENCE = Reason("long-experience")
EXPERIENCE_ROUTE = Reason("experience-route")
TRAINING_ACCOUNT = Reason("training-account")
TRAINING_ACCOUNT_2 = Score(2.0, (TRAINING_ACCOUNT,))
TRAINING_ACCOUNT_1 = Score(1.0, (TRAINING_ACCOUNT,))
# Without years of work in the job, the account is explained, not said to be the person's.
TRAINING_ACCOUNT_GENERAL = Reason("training-account-general")
TRAINING_ACCOUNT_GENERAL_1 = Score(1.0, (TRAINING_ACCOUNT_GENERAL,))
TRAINING_ACCOUNT_GENERAL_1_ASKING_SENIORITY = Score(1.0, (TRAINING_ACCOUNT_GENERAL,), missing=("seniority",))
FRUSTRATION_EXPERIENCE = Reason("frustration-experience")
YOUNG_LITTLE_EXPERIENCE = Reason("young-little-experience")
CIVIC_SERVICE_AGE = Reason("civic-service-age")
YOUNG_MISSION_LOCALE = Reason("young-mission-locale")
FRUSTRATION_LANGUAGE = Reason("frustration-language")
FRENCH_BASIC = Reason("french-basic")
FRUSTRATION_FOREIGN_QUALIFICATIONS = Reason("frustration-foreign-qualifications")
MISSING_DIPLOMA_3 = Score(3.0, (MISSING_DIPLOMA,))
TRAINING_FRUSTRATION_2 = Score(2.0, (TRAINING_FRUSTRATION,))
TRAINING_NOT_SURE_1 = Score(1.0, (TRAINING_NOT_SURE,))
EXPERIENCE_COUNTS_1 = Score(1.0, (EXPERIENCE_COUNTS,))
FRUSTRATION_EXPERIENCE_3 = Score(3.0, (FRUSTRATION_EXPERIENCE,))
YOUNG_LITTLE_EXPERIENCE_2 = Score(2.0, (YOUNG_LITTLE_EXPERIENCE,))
FIND_WHAT_YOU_LIKE_3 = Score(3.0, (FIND_WHAT_YOU_LIKE,))
NEVER_DONE_2 = Score(2.0, (NEVER_DONE,))
REORIENTATION_2 = Score(2.0, (REORIENTATION,))
NEVER_DONE_YOUNG_MISSION_LOCALE_3_EXCLUDING = Score(3.0, (NEVER_DONE, YOUNG_MISSION_LOCALE), excludes=("immersion",))
FRUSTRATION_LANGUAGE_3 = Score(3.0, (FRUSTRATION_LANGUAGE,))
FRENCH_BASIC_2 = Score(2.0, (FRENCH_BASIC,))
FRUSTRATION_FOREIGN_QUALIFICATIONS_3 = Score(3.0, (FRUSTRATION_FOREIGN_QUALIFICATIONS,))


def _missing_diploma(s: Situation) -> bool:
    return s.main_challenge is _MISSING_DIPLOMA or _MISSING_DIPLOMA in s.needs_attention


def training(s: Situation) -> Score:
    """Return the score of a training course: for a missing diploma or a long search."""
    if s.training is _CURRENTLY_IN_TRAINING:
        return NOT_RELEVANT
    if _missing_diploma(s):
        return MISSING_DIPLOMA_3
    if _TRAINING in s.frustrations:
        return TRAINING_FRUSTRATION_2
    if s.search_months is not None and s.search_months >= 12:
        return Score(2.0, (Reason("search-months", (("months", round(s.search_months)),)),))
    if s.training is _TRAINING_FULFILLMENT_NOT_SURE:
        return TRAINING_NOT_SURE_1
    return NOT_RELEVANT


def alternance(s: Situation) -> Score:
    """Return the score of work-study contracts (apprenticeship and the like) for under-30s needing a diploma."""
    may_need_training = (
        _missing_diploma(s)
        or _TRAINING in s.frustrations
        or s.training is _TRAINING_FULFILLMENT_NOT_SURE
        or (s.degree is not None and s.degree <= 2)
    )
    if not may_need_training:
        return NOT_RELEVANT
    if s.age is None:
        return needs("year_of_birth")
    if s.age > 29:
        return NOT_RELEVANT
    return YOUNG_MAY_NEED_TRAINING_3 if _missing_diploma(s) else YOUNG_MAY_NEED_TRAINING_2


def vae(s: Situation) -> Score:
    """Return the score of validation of acquired experience (VAE): a diploma from years of practice."""
    experience = s.training is _ENOUGH_EXPERIENCE
    if not (experience or _missing_diploma(s) or s.experience_route):
        return NOT_RELEVANT
    if s.seniority is None:
        return needs("seniority")
    if s.seniority < SENIOR:
        return EXPERIENCE_COUNTS_1 if experience else NOT_RELEVANT
    reasons = (LONG_EXPERIENCE,) + ((MISSING_DIPLOMA,) if _missing_diploma(s) else ())
    if s.experience_route:
        reasons += (EXPERIENCE_ROUTE,)
    return Score(3.0 if _missing_diploma(s) else 2.0, reasons)


def cpf(s: Situation) -> Score:
    """Return the score of the personal training account (Mon Compte Formation) to pay for a course."""
    wants_training = _missing_diploma(s) or _TRAINING in s.frustrations
    long_search = s.search_months is not None and s.search_months >= 12
    if not (wants_training or long_search):
        return NOT_RELEVANT
    if s.seniority is None:
        return TRAINING_ACCOUNT_GENERAL_1_ASKING_SENIORITY
    if s.seniority < JUNIOR:
        return TRAINING_ACCOUNT_GENERAL_1
    return TRAINING_ACCOUNT_2 if s.seniority >= INTERMEDIARY else TRAINING_ACCOUNT_1


def civic_service(s: Situation) -> Score:
    """Return the score of the service civique: a paid mission of general interest from 16 to 25 (30 if disabled)."""
    if s.age is None:
        return needs("year_of_birth")
    limit = 30 if s.handicap else 25
    if not 16 <= s.age <= limit:
        return NOT_RELEVANT
    if s.seniority is not None and s.seniority > JUNIOR:
        return NOT_RELEVANT
    if _EXPERIENCE in s.frustrations:
        return FRUSTRATION_EXPERIENCE_3
    if s.seniority is None:
        return Score(2.0, (CIVIC_SERVICE_AGE,), missing=("seniority",))
    return YOUNG_LITTLE_EXPERIENCE_2


def immersion(s: Situation) -> Score:
    """Return the score of a short immersion in a company (PMSMP) to try a job before committing."""
    if s.main_challenge is _FIND_WHAT_YOU_LIKE:
        return FIND_WHAT_YOU_LIKE_3
    if s.similarity is _NEVER_DONE:
        return NEVER_DONE_2
    if s.kind is _REORIENTATION:
        return REORIENTATION_2
    return NOT_RELEVANT


def immersion_milo(s: Situation) -> Score:
    """Return the score of an immersion arranged by the Mission locale, for people up to 25 who never did the job."""
    if s.similarity is not _NEVER_DONE:
        return NOT_RELEVANT
    if s.age is None:
        return needs("year_of_birth")
    if s.age > 25:
        return NOT_RELEVANT
    return NEVER_DONE_YOUNG_MISSION_LOCALE_3_EXCLUDING


def language_skills(s: Situation) -> Score:
    """Return the score of French courses for work, when language is a barrier."""
    if _LANGUAGE in s.frustrations:
        return FRUSTRATION_LANGUAGE_3
    if s.speaks_french is False:
        return FRENCH_BASIC_2
    return NOT_RELEVANT


def foreign_diploma_recognition(s: Situation) -> Score:
    """Return how much it helps to have a foreign diploma recognised (ENIC-NARIC attestation)."""
    if _FOREIGN_QUALIFICATIONS in s.frustrations:
        return FRUSTRATION_FOREIGN_QUALIFICATIONS_3
    return NOT_RELEVANT


MODULES = (
    AdviceModule(
        "training",
        training,
        ("challenge-missing-diploma", "frustration-training", "search-months", "training-not-sure"),
    ),
    AdviceModule("alternance", alternance, ("young-may-need-training",)),
    AdviceModule("vae", vae, ("experience-counts", "long-experience", "challenge-missing-diploma", "experience-route")),
    AdviceModule("cpf", cpf, ("training-account", "training-account-general")),
    AdviceModule(
        "civic-service", civic_service, ("frustration-experience", "young-little-experience", "civic-service-age")
    ),
    AdviceModule("immersion", immersion, ("challenge-find-what-you-like", "never-done-job", "project-reorientation")),
    AdviceModule("immersion-milo", immersion_milo, ("never-done-job", "young-mission-locale")),
    AdviceModule("language-skills", language_skills, ("frustration-language", "french-basic")),
    AdviceModule("foreign-diploma-recognition", foreign_diploma_recognition, ("frustration-foreign-qualifications",)),
)
