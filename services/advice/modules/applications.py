"""Advice on applications: CV, cover letters, follow-ups, channels and job boards."""

from __future__ import annotations

from services.advice.modules.base import (
    NOT_RELEVANT,
    USEFUL_TO_ANY_SEARCH_1,
    AdviceModule,
    Reason,
    Score,
    Situation,
    figure_reason,
    needs,
)
from shared.contracts.vocabulary import EmploymentType, Frustration, ProjectKind

# Enum members bound once: reading a member from its class costs ~0.2 µs in CPython 3.11,
# paid for every person by every module.
_CREATE_OR_TAKE_OVER_COMPANY = ProjectKind.CREATE_OR_TAKE_OVER_COMPANY
_INTERIM = EmploymentType.INTERIM
_NO_OFFERS = Frustration.NO_OFFERS
_NO_OFFER_ANSWERS = Frustration.NO_OFFER_ANSWERS
_RESUME = Frustration.RESUME
NO_RESUME = Reason("no-resume")
SEARCH_NOT_STARTED = Reason("search-not-started")
FEW_APPLICATIONS = Reason("few-applications")
MANY_APPLICATIONS = Reason("many-applications")
SOME_APPLICATIONS = Reason("some-applications")
NO_ANSWERS = Reason("frustration-no-offer-answers")
NO_OFFERS = Reason("frustration-no-offers")
FEW_OFFERS_SEEN = Reason("few-offers-seen")
OFFERS_SEEN = Reason("offers-seen")
SEARCH_UNDER_WAY = Reason("search-under-way")
RESUME_FRUSTRATION = Reason("frustration-resume")
WANTS_INTERIM = Reason("wants-interim")
JOB_SPECIFIC = Reason("job-specific-advice")

SPONTANEOUS_GENERAL = Reason("spontaneous-general")
# Verdicts without figures, built once: modules return them without allocating.
NO_RESUME_3_EXCLUDING = Score(3.0, (NO_RESUME,), excludes=("improve-resume",))
SEARCH_NOT_STARTED_2 = Score(2.0, (SEARCH_NOT_STARTED,))
FEW_APPLICATIONS_1 = Score(1.0, (FEW_APPLICATIONS,))
RESUME_FRUSTRATION_3 = Score(3.0, (RESUME_FRUSTRATION,))
NO_ANSWERS_2 = Score(2.0, (NO_ANSWERS,))
NO_ANSWERS_3 = Score(3.0, (NO_ANSWERS,))
MANY_APPLICATIONS_2 = Score(2.0, (MANY_APPLICATIONS,))
MANY_APPLICATIONS_1 = Score(1.0, (MANY_APPLICATIONS,))
SOME_APPLICATIONS_1 = Score(1.0, (SOME_APPLICATIONS,))
SPONTANEOUS_GENERAL_1 = Score(1.0, (SPONTANEOUS_GENERAL,))
NO_OFFERS_3 = Score(3.0, (NO_OFFERS,))
FEW_OFFERS_SEEN_2 = Score(2.0, (FEW_OFFERS_SEEN,))
OFFERS_SEEN_1 = Score(1.0, (OFFERS_SEEN,))
# The search has started but how many offers the person sees is unknown: shown, and the answer is asked for.
SEARCH_UNDER_WAY_1_ASKING_OFFERS = Score(1.0, (SEARCH_UNDER_WAY,), missing=("weekly_offers_estimate",))
NO_OFFERS_2 = Score(2.0, (NO_OFFERS,))
WANTS_INTERIM_2 = Score(2.0, (WANTS_INTERIM,))
JOB_SPECIFIC_2 = Score(2.0, (JOB_SPECIFIC,))


def _months(months: float) -> Reason:
    return Reason("search-months", (("months", round(months)),))


def fresh_resume(s: Situation) -> Score:
    """Return the score of a first or refreshed CV: no CV yet, a search that starts, or few applications."""
    if s.has_resume is False:
        return NO_RESUME_3_EXCLUDING
    if s.search_started is False:
        return SEARCH_NOT_STARTED_2
    if s.search_months is None:
        return needs("job_search_started_at")
    if s.search_months < 2:
        return Score(2.0, (Reason("search-recent", (("months", round(s.search_months)),)),))
    if s.weekly_applications == 0:
        return FEW_APPLICATIONS_1
    return NOT_RELEVANT


def improve_resume(s: Situation) -> Score:
    """Return how much it helps to improve the CV when it brings few interviews (it could bring twice as many)."""
    if s.has_resume is False:
        return NOT_RELEVANT
    if _RESUME in s.frustrations:
        return RESUME_FRUSTRATION_3
    if s.search_months is None:
        return needs("job_search_started_at")
    if s.search_months < 2:
        return NOT_RELEVANT
    if s.interviews is None:
        return Score(2.0, (_months(s.search_months),), missing=("total_interview_count",))
    if s.interviews / s.search_months < 0.5:
        reason = Reason("few-interviews", (("interviews", s.interviews), ("months", round(s.search_months))))
        return Score(3.0 if s.search_months >= 4 else 2.0, (reason,))
    return NOT_RELEVANT


def cover_letter(s: Situation) -> Score:
    """Return the score of a cover letter that answers the offer, when applications get no answer."""
    if _NO_OFFER_ANSWERS in s.frustrations:
        return NO_ANSWERS_2
    if s.weekly_applications is None:
        return needs("weekly_applications_estimate") if s.search_started else NOT_RELEVANT
    if s.weekly_applications >= 1 and s.interviews is not None and s.interviews <= 1:
        return Score(2.0, (Reason("applications-without-interviews", (("interviews", s.interviews),)),))
    return NOT_RELEVANT


def motivation_email(s: Situation) -> Score:
    """Return the score of a short, personal email sent with each application."""
    if _NO_OFFER_ANSWERS in s.frustrations:
        return NO_ANSWERS_2
    if s.weekly_applications is None or s.weekly_applications < 1:
        return NOT_RELEVANT
    return MANY_APPLICATIONS_1 if s.weekly_applications >= 2 else SOME_APPLICATIONS_1


def follow_up(s: Situation) -> Score:
    """Return how much it helps to follow up on applications a week later."""
    if _NO_OFFER_ANSWERS in s.frustrations:
        return NO_ANSWERS_3
    if s.weekly_applications is None:
        return needs("weekly_applications_estimate") if s.search_started else NOT_RELEVANT
    if s.weekly_applications >= 2:
        return MANY_APPLICATIONS_2
    if s.weekly_applications == 1:
        return SOME_APPLICATIONS_1
    return NOT_RELEVANT


def less_applications(s: Situation) -> Score:
    """Return the score of fewer, better-targeted applications when the person sends six or more a week."""
    if s.weekly_applications is None:
        return needs("weekly_applications_estimate") if s.search_started else NOT_RELEVANT
    if s.weekly_applications < 2:
        return NOT_RELEVANT
    few_interviews = s.interviews is not None and s.interviews <= 1
    if s.weekly_applications == 3 and few_interviews:
        return Score(3.0, (MANY_APPLICATIONS, Reason("few-interviews-total", (("interviews", s.interviews or 0),))))
    missing = ("total_interview_count",) if s.interviews is None else ()
    return Score(2.0 if few_interviews or s.weekly_applications == 3 else 1.0, (MANY_APPLICATIONS,), missing=missing)


def _creating_company(s: Situation) -> bool:
    return s.kind is _CREATE_OR_TAKE_OVER_COMPANY


def spontaneous_application(s: Situation) -> Score:
    """Return how much it helps to apply to companies that did not publish an offer, when many hires happen that way."""
    if _creating_company(s):
        return NOT_RELEVANT
    share = s.real("application_spontaneous_share")
    if share is None:
        return SPONTANEOUS_GENERAL_1
    reason = figure_reason("channel-spontaneous", s, "application_spontaneous_share")
    if s.top_channel == "application_spontaneous_share":
        return Score(3.0, (reason,))
    if share >= 0.25:
        return Score(2.0, (reason,))
    return SPONTANEOUS_GENERAL_1


def find_a_jobboard(s: Situation) -> Score:
    """Return the score of job boards specialised in the job or the region, when offers are hard to find."""
    if _creating_company(s):
        return NOT_RELEVANT
    if _NO_OFFERS in s.frustrations:
        return NO_OFFERS_3
    if s.weekly_offers is None:
        return SEARCH_UNDER_WAY_1_ASKING_OFFERS if s.search_started else NOT_RELEVANT
    if s.weekly_offers == 0:
        return FEW_OFFERS_SEEN_2
    return OFFERS_SEEN_1


def online_salons(s: Situation) -> Score:
    """Return the score of online job fairs (France Travail's "salons en ligne"): useful to any search under way."""
    if s.search_started is False or _creating_company(s):
        return NOT_RELEVANT
    if _NO_OFFERS in s.frustrations:
        return NO_OFFERS_2
    return USEFUL_TO_ANY_SEARCH_1


def temp_agencies(s: Situation) -> Score:
    """Return the score of temporary-work agencies, when they hire much in this job or the person accepts them."""
    if s.top_channel == "application_agency_share":
        return Score(3.0, (figure_reason("channel-agency", s, "application_agency_share"),))
    interim = s.real("interim_share")
    if interim is not None and interim >= 0.25:
        return Score(2.0, (figure_reason("interim-common", s, "interim_share"),))
    if _INTERIM in s.employment_types:
        return WANTS_INTERIM_2
    return NOT_RELEVANT


def hiring_difficulties(s: Situation) -> Score:
    """Return how much it helps to know employers struggle to hire: applications are welcome, even unsolicited."""
    difficult = s.real("hiring_difficult_share")
    if difficult is None or difficult < 0.4:
        return NOT_RELEVANT
    return Score(
        2.0 if difficult >= 0.5 else 1.0,
        (figure_reason("hiring-difficult", s, "hiring_difficult_share"),),
    )


def specific_to_job(s: Situation) -> Score:
    """Return the score of curated advice for this job group (content/job_lists.yaml)."""
    if s.rome_code is None:
        return needs("rome_code")
    return JOB_SPECIFIC_2 if s.job.specific_advice else NOT_RELEVANT


MODULES = (
    AdviceModule(
        "fresh-resume", fresh_resume, ("no-resume", "search-not-started", "search-recent", "few-applications")
    ),
    AdviceModule("improve-resume", improve_resume, ("frustration-resume", "search-months", "few-interviews")),
    AdviceModule("cover-letter", cover_letter, ("frustration-no-offer-answers", "applications-without-interviews")),
    AdviceModule(
        "motivation-email",
        motivation_email,
        ("frustration-no-offer-answers", "many-applications", "some-applications"),
    ),
    AdviceModule("follow-up", follow_up, ("frustration-no-offer-answers", "many-applications", "some-applications")),
    AdviceModule("less-applications", less_applications, ("many-applications", "few-interviews-total")),
    AdviceModule("spontaneous-application", spontaneous_application, ("spontaneous-general", "channel-spontaneous")),
    AdviceModule(
        "find-a-jobboard",
        find_a_jobboard,
        ("frustration-no-offers", "few-offers-seen", "offers-seen", "search-under-way"),
    ),
    AdviceModule("online-salons", online_salons, ("frustration-no-offers", "useful-to-any-search")),
    AdviceModule("temp-agencies", temp_agencies, ("channel-agency", "interim-common", "wants-interim")),
    AdviceModule("hiring-difficulties", hiring_difficulties, ("hiring-difficult",)),
    AdviceModule("specific-to-job", specific_to_job, ("job-specific-advice",)),
)
