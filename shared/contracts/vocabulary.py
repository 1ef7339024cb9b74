"""Enumerations of the job-seeker profile, shared by every service that reads profile facts.

Values keep the reference product's names (BOB-REFERENCE.md §1) so that its
rules translate one to one.
"""

from __future__ import annotations

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
    INTERN = "INTERN"
    JUNIOR = "JUNIOR"  # less than 2 years
    INTERMEDIARY = "INTERMEDIARY"  # 2 to 5 years
    SENIOR = "SENIOR"  # 6 years or more
    EXPERT = "EXPERT"  # 10 years or more
    CARREER = "CARREER"  # 20 years or more (the reference's spelling)


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


class ActionPace(StrEnum):
    """How many actions a day the person wants."""

    PAUSE = "PAUSE"
    ONE_TO_TWO = "ONE_TO_TWO"
    THREE_TO_FOUR = "THREE_TO_FOUR"
    FIVE_OR_MORE = "FIVE_OR_MORE"


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
    """What a volunteer can pledge and what an action may need from a person."""

    CV_REVIEW = "cv-review"
    COVER_LETTER_REVIEW = "cover-letter-review"
    COFFEE_CHAT = "coffee-chat"
