"""The profile as clients read and write it (also exposed by the gateway under /v1).

Every field is optional so that the questionnaire can save step by step; the
profile then says which fields are still missing.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from shared.contracts.text import FirstName as FirstName  # what the account routes import
from shared.contracts.text import PlainText, TypedText
from shared.contracts.vocabulary import (
    ActionPace,
    AreaType,
    CoachingEmailFrequency,
    ConsentPurpose,
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

# A local wall-clock time ("20:00" or "20:00:00"): JSON Schema's "time" format would demand a UTC offset.
LocalTime = Annotated[
    time,
    WithJsonSchema({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "examples": ["20:00"]}),
]


class Strict(BaseModel):
    """Client input: unknown fields are refused rather than silently dropped."""

    model_config = ConfigDict(extra="forbid")


class LanguageInput(Strict):
    code: str = Field(pattern=r"^[a-z]{2}$", examples=["fr"], description="ISO 639-1 code.")
    spoken: LanguageLevel | None = None
    written: LanguageLevel | None = None


class ProfileInput(Strict):
    """Personal situation. Sensitive answers (handicap, family) are optional and used only to adapt advice."""

    gender: Gender | None = Field(None, examples=["FEMININE"])
    custom_gender: PlainText | None = Field(None, description="Free label when gender is CUSTOM; never shared.")
    year_of_birth: int | None = Field(None, examples=[1968])
    family_situation: FamilySituation | None = None
    highest_degree: Degree | None = None
    driving_licenses: list[DrivingLicense] | None = Field(None, max_length=3)
    languages: list[LanguageInput] | None = Field(None, max_length=20)
    has_handicap: bool | None = None
    frustrations: list[Frustration] | None = Field(None, max_length=19)
    custom_frustrations: list[Annotated[str, TypedText(max_length=500, blank=True)]] | None = Field(
        None, max_length=5, description="The person's own words; never leaves the profile service."
    )


class ProjectInput(Strict):
    """One job-search project."""

    job_code_ogr: str | None = Field(
        None, pattern=r"^[0-9]{1,10}$", description="ROME job title code (from the autocomplete).", examples=["12694"]
    )
    rome_code: str | None = Field(None, pattern=r"^[A-N][0-9]{4}$", examples=["K2204"])
    city_insee: str | None = Field(None, pattern=r"^[0-9][0-9AB][0-9]{3}$", examples=["69123"])
    area_type: AreaType | None = None
    min_salary: int | None = Field(None, ge=0, le=1_000_000, examples=[21000])
    employment_types: list[EmploymentType] | None = Field(None, max_length=7)
    workloads: list[Workload] | None = Field(None, max_length=2)
    kind: ProjectKind | None = None
    previous_job_similarity: PreviousJobSimilarity | None = None
    seniority: Seniority | None = None
    training_fulfillment_estimate: TrainingFulfillment | None = None
    network_estimate: int | None = Field(None, ge=1, le=3)
    job_search_has_not_started: bool | None = None
    job_search_started_at: date | None = None
    weekly_offers_estimate: Frequency | None = None
    weekly_applications_estimate: Frequency | None = None
    total_interview_count: int | None = Field(None, ge=-1, le=1000)
    passionate_level: PassionLevel | None = None
    has_resume: bool | None = None
    original_self_diagnostic: MainChallenge | None = None


class PreferencesInput(Strict):
    action_pace: ActionPace | None = None
    coaching_email_frequency: CoachingEmailFrequency | None = None
    locale: Locale | None = None
    time_zone: str | None = Field(None, max_length=64, examples=["Europe/Paris"])
    quiet_hours_start: LocalTime | None = None
    quiet_hours_end: LocalTime | None = None
    working_days: list[Annotated[int, Field(ge=0, le=6)]] | None = Field(None, max_length=7)


class ProfilePatch(Strict):
    """A partial update. ``revision`` is the one the client last read: a stale one gets 409."""

    revision: int = Field(ge=0, description="The revision the change is based on.", examples=[0])
    profile: ProfileInput | None = None
    preferences: PreferencesInput | None = None


class ProjectWrite(Strict):
    revision: int = Field(ge=0, examples=[1])
    project: ProjectInput


class ProjectView(ProjectInput):
    model_config = ConfigDict(extra="ignore")
    project_id: str
    job_title: str | None = Field(None, description="The job title label, both genders.")
    city_name: str | None = None
    departement: str | None = None
    missing_fields: list[str] = Field(default_factory=list)


class ProfileView(BaseModel):
    user_id: str
    revision: int
    first_name: str | None
    email: str | None = None
    role: str = "job-seeker"
    is_guest: bool
    registered_at: date
    profile: ProfileInput
    projects: list[ProjectView]
    preferences: PreferencesInput
    missing_fields: list[str] = Field(description="What is still missing before a diagnosis, most useful first.")
    consents: dict[ConsentPurpose, bool]
