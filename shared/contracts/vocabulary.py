"""Enumerations of the job-seeker profile, shared by every service that reads profile facts.

Values keep the reference product's names (BOB-REFERENCE.md §1) so that its
rules translate one to one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Locale(StrEnum):
    FR = "fr"  # French, formal "vous"
    FR_TU = "fr@tu"  # French, informal "tu"
    EN = "en"


class Gender(StrEnum):
    FEMININE = "FEMININE"
    MASCULINE = "MASCULINE"
    CUSTOM = "CUSTOM"  # the custom label itself stays in the profile service
    UNKNOWN = "UNKNOWN"


class FamilySituation(StrEnum):
    SINGLE = "SINGLE"
    IN_A_RELATIONSHIP = "IN_A_RELATIONSHIP"
    FAMILY_WITH_KIDS = "FAMILY_WITH_KIDS"
    SINGLE_PARENT_SITUATION = "SINGLE_PARENT_SITUATION"


class Degree(StrEnum):
    """Highest degree, in increasing order."""

    NO_DEGREE = "NO_DEGREE"
    CAP_BEP = "CAP_BEP"
    BAC_BACPRO = "BAC_BACPRO"
    BTS_DUT_DEUG = "BTS_DUT_DEUG"
    LICENCE_MAITRISE = "LICENCE_MAITRISE"
    DEA_DESS_MASTER_PHD = "DEA_DESS_MASTER_PHD"

    @property
    def rank(self) -> int:
        """Return 0 for no degree up to 5 for a master or a PhD."""
        return list(Degree).index(self)


class DrivingLicense(StrEnum):
    CAR = "CAR"
    MOTORCYCLE = "MOTORCYCLE"
    TRUCK = "TRUCK"


class LanguageLevel(StrEnum):
    BASIC = "BASIC"
    INTERMEDIATE = "INTERMEDIATE"
    FLUENT = "FLUENT"
    NATIVE = "NATIVE"


class Frustration(StrEnum):
    NO_OFFERS = "NO_OFFERS"
    NO_OFFER_ANSWERS = "NO_OFFER_ANSWERS"
    RESUME = "RESUME"
    INTERVIEW = "INTERVIEW"
    TRAINING = "TRAINING"
    MOTIVATION = "MOTIVATION"
    TIME_MANAGEMENT = "TIME_MANAGEMENT"
    SINGLE_PARENT = "SINGLE_PARENT"  # deprecated in the reference, still accepted
    HANDICAPED = "HANDICAPED"  # deprecated in the reference, still accepted
    ATYPIC_PROFILE = "ATYPIC_PROFILE"
    AGE_DISCRIMINATION = "AGE_DISCRIMINATION"
    SEX_DISCRIMINATION = "SEX_DISCRIMINATION"
    EXPERIENCE = "EXPERIENCE"
    SELF_CONFIDENCE = "SELF_CONFIDENCE"
    STAY_AT_HOME_PARENT = "STAY_AT_HOME_PARENT"
    RACE_DISCRIMINATION = "RACE_DISCRIMINATION"
    LANGUAGE = "LANGUAGE"
    FOREIGN_QUALIFICATIONS = "FOREIGN_QUALIFICATIONS"
    CHILD_CARE = "CHILD_CARE"


class AreaType(StrEnum):
    """How far the person is ready to move for the job."""

    CITY = "CITY"
    DEPARTEMENT = "DEPARTEMENT"
    REGION = "REGION"
    COUNTRY = "COUNTRY"
    WORLD = "WORLD"


class EmploymentType(StrEnum):
    CDI = "CDI"
    CDD_OVER_3_MONTHS = "CDD_OVER_3_MONTHS"
    CDD_LESS_EQUAL_3_MONTHS = "CDD_LESS_EQUAL_3_MONTHS"
    INTERIM = "INTERIM"
    INTERNSHIP = "INTERNSHIP"
    APPRENTICESHIP = "APPRENTICESHIP"
    ANY_CONTRACT = "ANY_CONTRACT"


class Workload(StrEnum):
    FULL_TIME = "FULL_TIME"
    PART_TIME = "PART_TIME"


class ProjectKind(StrEnum):
    CREATE_OR_TAKE_OVER_COMPANY = "CREATE_OR_TAKE_OVER_COMPANY"
    REORIENTATION = "REORIENTATION"
    FIND_A_FIRST_JOB = "FIND_A_FIRST_JOB"
    FIND_A_NEW_JOB = "FIND_A_NEW_JOB"
    FIND_ANOTHER_JOB = "FIND_ANOTHER_JOB"


class PreviousJobSimilarity(StrEnum):
    DONE_THIS = "DONE_THIS"
    DONE_SIMILAR = "DONE_SIMILAR"
    NEVER_DONE = "NEVER_DONE"


class Seniority(StrEnum):
    """Experience in the target job, as published on ``profile-updated`` (in increasing order).

    "No experience at all" is an answer too, but not one of these values: a new value here would break
    the readers of the published events (docs/asyncapi.json). It is ``SeniorityAnswer.NO_SENIORITY`` in
    the questionnaire and ``ProjectFacts.no_seniority`` in the events; ``ProjectFacts.seniority_rank``
    gives every service one rank for both.
    """

    INTERN = "INTERN"
    JUNIOR = "JUNIOR"  # less than 2 years
    INTERMEDIARY = "INTERMEDIARY"  # 2 to 5 years
    SENIOR = "SENIOR"  # 6 years or more
    EXPERT = "EXPERT"  # 10 years or more
    CARREER = "CARREER"  # 20 years or more (the reference's spelling)

    @property
    def rank(self) -> int:
        """Return 0 for an internship up to 5 for 20 years or more (no experience at all ranks -1)."""
        return list(Seniority).index(self)


NO_SENIORITY_RANK = -1  # below an internship: never worked in the job (also "never done this job")


class SeniorityAnswer(StrEnum):
    """What a person may answer about their experience in the job: a ``Seniority``, or none at all.

    NO_SENIORITY is the reference's own value (ProjectSeniority.NO_SENIORITY = 1): the truthful answer of
    someone who did a similar job, or studied for this one, but never worked in it.
    """

    NO_SENIORITY = "NO_SENIORITY"
    INTERN = "INTERN"
    JUNIOR = "JUNIOR"
    INTERMEDIARY = "INTERMEDIARY"
    SENIOR = "SENIOR"
    EXPERT = "EXPERT"
    CARREER = "CARREER"

    @property
    def seniority(self) -> Seniority | None:
        """Return the published seniority; None for NO_SENIORITY (published as ``no_seniority``)."""
        return None if self is SeniorityAnswer.NO_SENIORITY else Seniority(self.value)

    @property
    def rank(self) -> int:
        """Return -1 for no experience, then the rank of the seniority."""
        seniority = self.seniority
        return NO_SENIORITY_RANK if seniority is None else seniority.rank


class TrainingFulfillment(StrEnum):
    ENOUGH_DIPLOMAS = "ENOUGH_DIPLOMAS"
    ENOUGH_EXPERIENCE = "ENOUGH_EXPERIENCE"
    CURRENTLY_IN_TRAINING = "CURRENTLY_IN_TRAINING"
    TRAINING_FULFILLMENT_NOT_SURE = "TRAINING_FULFILLMENT_NOT_SURE"
    NO_TRAINING_REQUIRED = "NO_TRAINING_REQUIRED"


class Frequency(StrEnum):
    """Weekly offers, weekly applications and interview estimates share this scale."""

    LESS_THAN_2 = "LESS_THAN_2"
    SOME = "SOME"  # 2 to 5
    DECENT_AMOUNT = "DECENT_AMOUNT"  # 6 to 15
    A_LOT = "A_LOT"  # more than 15


class PassionLevel(StrEnum):
    ALIMENTARY = "ALIMENTARY"
    LIKEABLE = "LIKEABLE"
    PASSIONATING = "PASSIONATING"
    LIFE_GOAL = "LIFE_GOAL"


class MainChallenge(StrEnum):
    """The 7 main challenges of the diagnosis, in the order they are checked."""

    UNDEFINED_PROJECT = "undefined-project"
    STUCK_MARKET = "stuck-market"
    FIND_WHAT_YOU_LIKE = "find-what-you-like"
    MISSING_DIPLOMA = "missing-diploma"
    START_YOUR_SEARCH = "start-your-search"
    ENHANCE_METHODS_TO_INTERVIEW = "enhance-methods-to-interview"
    BRAVO = "bravo"


@dataclass(frozen=True, slots=True)
class PaceRule:
    """What one day holds at a pace: from ``min_actions`` (when there are enough) to ``max_actions``, and at
    most ``max_minutes`` of work (an action longer than that gets a day of its own)."""

    min_actions: int
    max_actions: int
    max_minutes: int


class ActionPace(StrEnum):
    """How many actions a day the person wants.

    The meaning of each pace is defined here once, for every service: the plan (advice) never has more
    than ``daily_cap`` actions due on a day, and a day's email (notifications) lists at most ``per_email``.
    """

    PAUSE = "PAUSE"
    ONE_TO_TWO = "ONE_TO_TWO"
    THREE_TO_FOUR = "THREE_TO_FOUR"
    FIVE_OR_MORE = "FIVE_OR_MORE"

    @property
    def rule(self) -> PaceRule | None:
        """Return what a day holds at this pace; None while paused (nothing is planned)."""
        return _PACE_RULES.get(self)

    @property
    def daily_cap(self) -> int:
        """Return the most actions a day may hold at this pace (0 while paused)."""
        rule = self.rule
        return 0 if rule is None else rule.max_actions

    @property
    def per_email(self) -> int:
        """Return how many actions one day's email lists: what the day holds, never more."""
        return self.daily_cap


# "Five or more" is capped at five a day: more in one day is the overload the pace exists to prevent.
_PACE_RULES: dict[ActionPace, PaceRule] = {
    ActionPace.ONE_TO_TWO: PaceRule(1, 2, 90),
    ActionPace.THREE_TO_FOUR: PaceRule(3, 4, 180),
    ActionPace.FIVE_OR_MORE: PaceRule(5, 5, 300),
}


class CoachingEmailFrequency(StrEnum):
    EMAIL_NONE = "EMAIL_NONE"
    EMAIL_ONCE_A_MONTH = "EMAIL_ONCE_A_MONTH"
    EMAIL_MAXIMUM = "EMAIL_MAXIMUM"


class ConsentPurpose(StrEnum):
    COACHING = "coaching"  # required to use the service
    COUNSELLOR_SHARING = "counsellor-sharing"
    PARTNER_EVENTS = "partner-events"
    RESEARCH_STATISTICS = "research-statistics"


class HelpKind(StrEnum):
    """A kind of help as the events of version 1 publish it (``action-due``, the match events, partners).

    Its values are fixed: a new one would break the readers of the published events (docs/asyncapi.json).
    ``Help`` is every help a volunteer gives, a mock interview included.
    """

    CV_REVIEW = "cv-review"
    COVER_LETTER_REVIEW = "cover-letter-review"
    COFFEE_CHAT = "coffee-chat"


class Help(StrEnum):
    """What a volunteer can pledge and a person can ask for: the kinds of ``HelpKind``, and a mock interview.

    Events publish ``HelpKind``: a mock interview goes there as the kind of help it is for readers of
    version 1, a meeting (``coffee-chat``), and as itself in the match events' additive ``help`` field.
    """

    CV_REVIEW = "cv-review"
    COVER_LETTER_REVIEW = "cover-letter-review"
    COFFEE_CHAT = "coffee-chat"
    MOCK_INTERVIEW = "mock-interview"

    @property
    def published_kind(self) -> HelpKind:
        """Return the kind published for this help in the events of version 1."""
        return HelpKind.COFFEE_CHAT if self is Help.MOCK_INTERVIEW else HelpKind(self.value)


# The helps that are a meeting (in person or by video, on a date both sides set) rather than a
# document returned reviewed. A pledge's meeting options (``coffee``) apply to all of them.
MEETING_HELPS = frozenset({Help.COFFEE_CHAT, Help.MOCK_INTERVIEW})
