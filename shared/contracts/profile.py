"""Events published by the profile service.

``profile-updated`` carries the pseudonymous facts the algorithms need — codes
and enumerations only. Names, email addresses, phone numbers, custom gender
labels and any text typed by the person never leave the profile service.
"""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from pydantic import Field

from shared.contracts.vocabulary import (
    NO_SENIORITY_RANK,
    ActionPace,
    AreaType,
    CoachingEmailFrequency,
    Degree,
    DrivingLicense,
    EmploymentType,
    FamilySituation,
    Frequency,
    Frustration,
    Gender,
    LanguageLevel,
    Locale,
    MainChallenge,
    PassionLevel,
    PreviousJobSimilarity,
    ProjectKind,
    Seniority,
    TrainingFulfillment,
    Workload,
)
from shared.envelope import Contract, Event

# The reference product's month length when it turns days of search into months: one length everywhere.
DAYS_PER_MONTH = 30.5


class SpokenLanguage(Contract):
    code: str = Field(description="ISO 639-1 language code.", examples=["fr"], pattern=r"^[a-z]{2}$")
    spoken: LanguageLevel | None = Field(None, description="Spoken level.", examples=["FLUENT"])
    written: LanguageLevel | None = Field(None, description="Written level.", examples=["INTERMEDIATE"])


class ProjectFacts(Contract):
    """One job-search project, as codes the algorithms can use."""

    project_id: str = Field(description="Id of the project, unique for the person.", examples=["p1"])
    rome_code: str | None = Field(
        None, description="Target ROME v3 job group.", examples=["K2204"], pattern=r"^[A-N][0-9]{4}$"
    )
    job_code_ogr: str | None = Field(None, description="Target ROME job title code (OGR).", examples=["12694"])
    city_insee: str | None = Field(None, description="INSEE code of the city.", examples=["69123"])
    departement: str | None = Field(None, description="Département code of the city.", examples=["69"])
    area_type: AreaType | None = Field(
        None,
        description="How far the person is ready to move for the job, CITY to WORLD; null when not answered.",
        examples=["DEPARTEMENT"],
    )
    min_salary: int | None = Field(None, description="Minimum gross yearly salary in euros.", examples=[21000])
    employment_types: list[EmploymentType] = Field(
        default_factory=list,
        description="Contract types the person accepts (CDI, CDD, interim...); empty when not answered.",
        examples=[["CDI"]],
    )
    workloads: list[Workload] = Field(
        default_factory=list,
        description="Working times the person accepts (full or part time); empty when not answered.",
        examples=[["FULL_TIME"]],
    )
    kind: ProjectKind | None = Field(
        None,
        description="What the project is (first or new job, reorientation, company creation); null when not answered.",
        examples=["FIND_A_NEW_JOB"],
    )
    previous_job_similarity: PreviousJobSimilarity | None = Field(
        None,
        description="Whether the person has done this job, a similar one, or never; null when not answered.",
        examples=["DONE_THIS"],
    )
    seniority: Seniority | None = Field(
        None,
        description=(
            "Experience in the job: JUNIOR < 2 years, INTERMEDIARY 2-5, SENIOR 6+, EXPERT 10+, CARREER 20+; "
            "null when not answered, or when the person answered they have none (then no_seniority is true)."
        ),
        examples=["SENIOR"],
    )
    no_seniority: bool = Field(
        False,
        description=(
            "True when the person answered they have no experience at all in this job (the reference's "
            "NO_SENIORITY): a fact, not a missing answer; seniority is then null."
        ),
        examples=[False],
    )
    training_fulfillment_estimate: TrainingFulfillment | None = Field(
        None,
        description="Whether the person thinks they have the diplomas or experience the job asks for; null if unknown.",
        examples=["ENOUGH_DIPLOMAS"],
    )
    network_estimate: int | None = Field(
        None,
        ge=1,
        le=3,
        description="1 weak, 3 strong; null when not answered or when the person does not know.",
        examples=[2],
    )
    job_search_has_not_started: bool | None = Field(
        None, description="True when the search has not started; null when not answered.", examples=[False]
    )
    job_search_started_at: date | None = Field(
        None,
        description="Day the job search started (ISO 8601 date); null when not started or not answered.",
        examples=["2026-06-01"],
    )
    weekly_offers_estimate: Frequency | None = Field(
        None,
        description=(
            "Job offers the person finds a week: LESS_THAN_2, SOME (2-5), DECENT_AMOUNT (6-15), A_LOT (over 15); "
            "null when not answered."
        ),
        examples=["SOME"],
    )
    weekly_applications_estimate: Frequency | None = Field(
        None,
        description="Applications the person sends a week, on the same scale as weekly offers; null when not answered.",
        examples=["SOME"],
    )
    total_interview_count: int | None = Field(
        None, ge=-1, description="Interviews since the search started; -1 means none.", examples=[2]
    )
    passionate_level: PassionLevel | None = Field(
        None,
        description="How much the person likes the job, ALIMENTARY (for the pay) to LIFE_GOAL; null when not answered.",
        examples=["LIKEABLE"],
    )
    has_resume: bool | None = Field(
        None, description="True when the person has a resume for this job; null when not answered.", examples=[True]
    )
    original_self_diagnostic: MainChallenge | None = Field(
        None, description="The person's own guess at their main challenge.", examples=["stuck-market"]
    )
    missing_fields: list[str] = Field(
        default_factory=list, description="Fields still to fill for a complete project.", examples=[[]]
    )

    def searching(self) -> bool | None:
        """Return True when the search has started, False when it has not, None when unanswered."""
        if self.job_search_started_at is not None:
            return True
        return None if self.job_search_has_not_started is None else not self.job_search_has_not_started

    def search_months(self, today: date) -> float | None:
        """Return how many months the search has lasted on ``today``; None when it has not started or since when
        is unknown. A month is the reference product's 30.5 days (``DAYS_PER_MONTH``), for every service."""
        if self.job_search_started_at is None:
            return None
        return max((today - self.job_search_started_at).days, 0) / DAYS_PER_MONTH

    @property
    def seniority_rank(self) -> int | None:
        """Return the person's rank of experience in the job: -1 for none, 0 (internship) to 5; None if unknown.

        None at all is what the person answered (``no_seniority``), or what "never done this job" says.
        """
        if self.seniority is not None:
            return self.seniority.rank
        if self.no_seniority or self.previous_job_similarity is PreviousJobSimilarity.NEVER_DONE:
            return NO_SENIORITY_RANK
        return None


class Preferences(Contract):
    action_pace: ActionPace = Field(
        ActionPace.ONE_TO_TWO,
        description="Actions a day the person wants (PAUSE stops new actions).",
        examples=["ONE_TO_TWO"],
    )
    coaching_email_frequency: CoachingEmailFrequency = Field(
        CoachingEmailFrequency.EMAIL_ONCE_A_MONTH,
        description="How often coaching emails may be sent: never, about once a month, or as often as useful.",
        examples=["EMAIL_ONCE_A_MONTH"],
    )
    locale: Locale = Field(
        Locale.FR, description="Language of texts and emails: fr (vous), fr@tu (tu) or en.", examples=["fr"]
    )
    time_zone: str = Field(
        "Europe/Paris",
        description="IANA time zone of the person, for due days and quiet hours.",
        examples=["Europe/Paris"],
    )
    quiet_hours_start: time = Field(
        time(20, 0), description="No email after this local time (HH:MM:SS).", examples=["20:00:00"]
    )
    quiet_hours_end: time = Field(
        time(8, 0), description="No email before this local time (HH:MM:SS).", examples=["08:00:00"]
    )
    working_days: list[int] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4],
        description="Days the person plans actions on, 0 = Monday.",
        examples=[[0, 1, 2, 3, 4]],
    )


class ConsentState(Contract):
    coaching: bool = Field(True, description="Coaching emails and reminders are allowed.", examples=[True])
    counsellor_sharing: bool = Field(False, description="At least one counsellor may read a summary.", examples=[False])
    partner_events: bool = Field(
        False, description="Pseudonymous events may be shared with partners.", examples=[False]
    )
    research_statistics: bool = Field(False, description="Anonymous research statistics are allowed.", examples=[False])


class ProfileFacts(Contract):
    gender: Gender = Field(
        Gender.UNKNOWN,
        description="Used for grammatical gender of texts; UNKNOWN when not given (CUSTOM labels stay private).",
        examples=["FEMININE"],
    )
    year_of_birth: int | None = Field(
        None, ge=1900, le=2100, description="Year the person was born; null when not given.", examples=[1968]
    )
    family_situation: FamilySituation | None = Field(
        None, description="Household situation of the person; null when not answered.", examples=["FAMILY_WITH_KIDS"]
    )
    highest_degree: Degree | None = Field(
        None,
        description="Highest degree obtained, from NO_DEGREE to DEA_DESS_MASTER_PHD; null when not answered.",
        examples=["BAC_BACPRO"],
    )
    driving_licenses: list[DrivingLicense] = Field(
        default_factory=list, description="Driving licences the person holds; empty when none.", examples=[["CAR"]]
    )
    languages: list[SpokenLanguage] = Field(
        default_factory=list,
        description="Languages the person speaks, with spoken and written levels; empty when not answered.",
        examples=[[{"code": "en", "spoken": "INTERMEDIATE", "written": "BASIC"}]],
    )
    has_handicap: bool | None = Field(
        None, description="True when the person declared a disability; null when not answered.", examples=[False]
    )
    frustrations: list[Frustration] = Field(
        default_factory=list,
        description="Difficulties the person says they meet in their search; empty when none was chosen.",
        examples=[["NO_OFFER_ANSWERS"]],
    )
    is_guest: bool = Field(False, description="Guest accounts have no email address yet.", examples=[False])


class ProfileUpdatedData(Contract):
    revision: int = Field(ge=0, description="Profile revision; higher is newer.", examples=[3])
    registered_at: date = Field(description="Day the account was created.", examples=["2026-11-02"])
    questionnaire_finished_at: date | None = Field(
        None,
        description=(
            "Day the person reached the end of the questionnaire (or chose to see their diagnosis): a fact they "
            "gave, kept once set; null until then. Diagnoses are made from the first answers on, so this, not a "
            "diagnosis, says the person is done answering."
        ),
        examples=["2026-11-02"],
    )
    profile: ProfileFacts = Field(description="The person's pseudonymous profile facts (codes and enumerations only).")
    projects: list[ProjectFacts] = Field(
        default_factory=list,
        description="The person's job-search projects; empty until a first project is created.",
        examples=[
            [
                {
                    "project_id": "p1",
                    "rome_code": "K2204",
                    "city_insee": "69123",
                    "departement": "69",
                    "kind": "FIND_A_NEW_JOB",
                    "seniority": "SENIOR",
                }
            ]
        ],
    )
    preferences: Preferences = Field(
        default_factory=Preferences,
        description="Coaching preferences: action pace, email frequency, locale, time zone and quiet hours.",
    )
    consents: ConsentState = Field(
        default_factory=ConsentState, description="What the person consents to now; every service honours it."
    )


class ProfileUpdated(Event):
    """A person's profile, projects, preferences or consents changed."""

    topic = "profile-updated"
    event_type: Literal["profile-updated"] = Field(
        "profile-updated", description='Always "profile-updated".', examples=["profile-updated"]
    )
    producer: str = Field("profile", description='Always "profile", the publishing service.', examples=["profile"])
    data: ProfileUpdatedData = Field(description="The person's pseudonymous profile facts after the change.")


class UserErasedData(Contract):
    reason: Literal["user-request", "inactivity"] = Field(
        "user-request", description="Why the account was erased.", examples=["user-request"]
    )


class UserErased(Event):
    """A person's account was erased: every service deletes what it holds about the subject."""

    topic = "user-erased"
    event_type: Literal["user-erased"] = Field(
        "user-erased", description='Always "user-erased".', examples=["user-erased"]
    )
    producer: str = Field("profile", description='Always "profile", the publishing service.', examples=["profile"])
    data: UserErasedData = Field(
        default_factory=UserErasedData, description="Why the account was erased.", examples=[{"reason": "user-request"}]
    )
