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
    area_type: AreaType | None = Field(None, description="How far the person is ready to move.")
    min_salary: int | None = Field(None, description="Minimum gross yearly salary in euros.", examples=[21000])
    employment_types: list[EmploymentType] = Field(default_factory=list, examples=[["CDI"]])
    workloads: list[Workload] = Field(default_factory=list, examples=[["FULL_TIME"]])
    kind: ProjectKind | None = Field(None, examples=["FIND_A_NEW_JOB"])
    previous_job_similarity: PreviousJobSimilarity | None = Field(None, examples=["DONE_THIS"])
    seniority: Seniority | None = Field(None, examples=["SENIOR"])
    training_fulfillment_estimate: TrainingFulfillment | None = Field(None, examples=["ENOUGH_DIPLOMAS"])
    network_estimate: int | None = Field(None, ge=1, le=3, description="1 weak, 3 strong.", examples=[2])
    job_search_has_not_started: bool | None = Field(None, description="True when the search has not started.")
    job_search_started_at: date | None = Field(None, examples=["2026-06-01"])
    weekly_offers_estimate: Frequency | None = Field(None, examples=["SOME"])
    weekly_applications_estimate: Frequency | None = Field(None, examples=["SOME"])
    total_interview_count: int | None = Field(
        None, ge=-1, description="Interviews since the search started; -1 means none.", examples=[2]
    )
    passionate_level: PassionLevel | None = Field(None, examples=["LIKEABLE"])
    has_resume: bool | None = Field(None, examples=[True])
    original_self_diagnostic: MainChallenge | None = Field(
        None, description="The person's own guess at their main challenge.", examples=["stuck-market"]
    )
    missing_fields: list[str] = Field(
        default_factory=list, description="Fields still to fill for a complete project.", examples=[[]]
    )


class Preferences(Contract):
    action_pace: ActionPace = Field(ActionPace.ONE_TO_TWO, description="Actions a day the person wants.")
    coaching_email_frequency: CoachingEmailFrequency = Field(CoachingEmailFrequency.EMAIL_ONCE_A_MONTH)
    locale: Locale = Field(Locale.FR, description="fr (vous), fr@tu (tu) or en.")
    time_zone: str = Field("Europe/Paris", examples=["Europe/Paris"])
    quiet_hours_start: time = Field(time(20, 0), description="No email after this local time.")
    quiet_hours_end: time = Field(time(8, 0), description="No email before this local time.")
    working_days: list[int] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4],
        description="Days the person plans actions on, 0 = Monday.",
        examples=[[0, 1, 2, 3, 4]],
    )


class ConsentState(Contract):
    coaching: bool = Field(True, description="Coaching emails and reminders are allowed.")
    counsellor_sharing: bool = Field(False, description="At least one counsellor may read a summary.")
    partner_events: bool = Field(False, description="Pseudonymous events may be shared with partners.")
    research_statistics: bool = Field(False, description="Anonymous research statistics are allowed.")


class ProfileFacts(Contract):
    gender: Gender = Field(Gender.UNKNOWN, description="Used for grammatical gender of texts.")
    year_of_birth: int | None = Field(None, ge=1900, le=2100, examples=[1968])
    family_situation: FamilySituation | None = Field(None, examples=["FAMILY_WITH_KIDS"])
    highest_degree: Degree | None = Field(None, examples=["BAC_BACPRO"])
    driving_licenses: list[DrivingLicense] = Field(default_factory=list, examples=[["CAR"]])
    languages: list[SpokenLanguage] = Field(default_factory=list)
    has_handicap: bool | None = Field(None)
    frustrations: list[Frustration] = Field(default_factory=list, examples=[["NO_OFFER_ANSWERS"]])
    is_guest: bool = Field(False, description="Guest accounts have no email address yet.")


class ProfileUpdatedData(Contract):
    revision: int = Field(ge=0, description="Profile revision; higher is newer.", examples=[3])
    registered_at: date = Field(description="Day the account was created.", examples=["2026-11-02"])
    profile: ProfileFacts
    projects: list[ProjectFacts] = Field(default_factory=list)
    preferences: Preferences = Field(default_factory=Preferences)
    consents: ConsentState = Field(default_factory=ConsentState)


class ProfileUpdated(Event):
    """A person's profile, projects, preferences or consents changed."""

    topic = "profile-updated"
    event_type: Literal["profile-updated"] = "profile-updated"
    producer: str = "profile"
    data: ProfileUpdatedData


class UserErasedData(Contract):
    reason: Literal["user-request", "inactivity"] = Field(
        "user-request", description="Why the account was erased.", examples=["user-request"]
    )


class UserErased(Event):
    """A person's account was erased: every service deletes what it holds about the subject."""

    topic = "user-erased"
    event_type: Literal["user-erased"] = "user-erased"
    producer: str = "profile"
    data: UserErasedData = Field(default_factory=UserErasedData)
