"""The profile as clients read and write it (also exposed by the gateway under /v1).

Every field is optional so that the questionnaire can save step by step; the
profile then says which fields are still missing. Every value the reference
product accepted for a field is accepted too, mapped where its scale differs
(shared/contracts/api/reference_values.py); any other value is refused, naming the
allowed ones.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from shared.contracts.api import reference_values as ref
from shared.contracts.counsellors import SharedItem
from shared.contracts.strict import Strict
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
    SeniorityAnswer,
    TrainingFulfillment,
    Workload,
)

# A local wall-clock time ("20:00" or "20:00:00"): JSON Schema's "time" format would demand a UTC offset.
LocalTime = Annotated[
    time,
    WithJsonSchema({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "examples": ["20:00"]}),
]
NETWORK_SCALE = (ref.NETWORK_UNKNOWN, 1, 2, 3)


def _on_network_scale(value: int | None) -> int | None:
    if value is not None and value not in NETWORK_SCALE:
        raise PydanticCustomError(
            "network_scale", "Choose -1 (do not know), 1, 2 or 3.", {"allowed": ", ".join(map(str, NETWORK_SCALE))}
        )
    return value


# How many people the person knows in the job: 1 hardly anyone, 2 a few, 3 many; -1 "I do not know".
NetworkEstimate = Annotated[
    int | None,
    ref.accepting(ref.NETWORK),
    AfterValidator(_on_network_scale),
    WithJsonSchema(
        {
            "anyOf": [{"type": "integer", "enum": [-1, 0, 1, 2, 3, 4]}, {"type": "null"}],
            "description": "1 hardly anyone, 2 a few people, 3 many people, -1 do not know. The reference's "
            "0 (not answered) is taken as null and its 4 as 3.",
            "examples": [2],
        }
    ),
]


# A revision counts saves: far below this. JSON numbers above 64 bits are refused by the parser itself, so
# the schema says the bound rather than let a client learn it from a 422.
MAX_REVISION = 2**31 - 1


class LanguageInput(Strict):
    code: str = Field(pattern=r"^[a-z]{2}$", examples=["fr"], description="ISO 639-1 code.")
    spoken: LanguageLevel | None = None
    written: LanguageLevel | None = None


class ProfileInput(Strict):
    """Personal situation. Sensitive answers (handicap, family) are optional and used only to adapt advice."""

    gender: Annotated[Gender | None, ref.accepting(ref.GENDER)] = Field(None, examples=["FEMININE"])
    custom_gender: PlainText | None = Field(None, description="Free label when gender is CUSTOM; never shared.")
    year_of_birth: Annotated[int | None, ref.accepting(ref.YEAR_OF_BIRTH)] = Field(None, examples=[1968])
    family_situation: Annotated[FamilySituation | None, ref.accepting(ref.FAMILY_SITUATION)] = None
    highest_degree: Annotated[Degree | None, ref.accepting(ref.DEGREE)] = None
    driving_licenses: Annotated[list[DrivingLicense] | None, ref.accepting_each(ref.DRIVING_LICENSE)] = Field(
        None, max_length=3
    )
    languages: list[LanguageInput] | None = Field(None, max_length=20)
    has_handicap: bool | None = None
    frustrations: Annotated[list[Frustration] | None, ref.accepting_each(ref.FRUSTRATION)] = Field(None, max_length=19)
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
    area_type: Annotated[AreaType | None, ref.accepting(ref.AREA_TYPE)] = None
    min_salary: Annotated[int | None, ref.WHOLE_EUROS] = Field(None, ge=0, le=1_000_000, examples=[21000])
    employment_types: Annotated[list[EmploymentType] | None, ref.accepting_each(ref.EMPLOYMENT_TYPE)] = Field(
        None, max_length=7
    )
    workloads: Annotated[list[Workload] | None, ref.accepting_each(ref.WORKLOAD)] = Field(None, max_length=2)
    kind: Annotated[ProjectKind | None, ref.accepting(ref.PROJECT_KIND)] = None
    previous_job_similarity: Annotated[PreviousJobSimilarity | None, ref.accepting(ref.PREVIOUS_JOB_SIMILARITY)] = None
    seniority: Annotated[SeniorityAnswer | None, ref.accepting(ref.SENIORITY)] = Field(
        None,
        description="Experience in the job; NO_SENIORITY when the person never worked in it.",
        examples=["JUNIOR"],
    )
    training_fulfillment_estimate: Annotated[TrainingFulfillment | None, ref.accepting(ref.TRAINING_FULFILLMENT)] = None
    network_estimate: NetworkEstimate = None
    job_search_has_not_started: Annotated[bool | None, ref.accepting(ref.OPTIONAL_BOOL)] = None
    job_search_started_at: Annotated[date | None, ref.DAY_OF_TIMESTAMP] = None
    weekly_offers_estimate: Annotated[Frequency | None, ref.accepting(ref.FREQUENCY)] = None
    weekly_applications_estimate: Annotated[Frequency | None, ref.accepting(ref.FREQUENCY)] = None
    total_interview_count: int | None = Field(None, ge=-1, le=1000)
    passionate_level: Annotated[PassionLevel | None, ref.accepting(ref.PASSION_LEVEL)] = None
    has_resume: Annotated[bool | None, ref.accepting(ref.OPTIONAL_BOOL)] = None
    original_self_diagnostic: MainChallenge | None = None


class PreferencesInput(Strict):
    action_pace: ActionPace | None = None
    coaching_email_frequency: CoachingEmailFrequency | None = None
    locale: Locale | None = None
    time_zone: str | None = Field(None, max_length=64, examples=["Europe/Paris"])
    quiet_hours_start: LocalTime | None = None
    quiet_hours_end: LocalTime | None = None
    working_days: list[Annotated[int, Field(ge=0, le=6)]] | None = Field(None, max_length=7)


def _only_true(value: object) -> object:
    # A fact the person gives: true or absent (1 or "true" are not the same answer).
    if value is not None and value is not True:
        raise PydanticCustomError("literal_error", "Input should be true", {"expected": "true"})
    return value


class ProfilePatch(Strict):
    """A partial update. ``revision`` is the one the client last read: a stale one gets 409."""

    revision: int = Field(ge=0, le=MAX_REVISION, description="The revision the change is based on.", examples=[0])
    profile: ProfileInput | None = None
    preferences: PreferencesInput | None = None
    questionnaire_finished: Annotated[Literal[True] | None, BeforeValidator(_only_true)] = Field(
        None,
        description=(
            "Send true when the person reaches the end of the questionnaire (or chooses to see their diagnosis): "
            "sets questionnaire_finished_at, once. Until then no welcome and no reminder of actions is emailed."
        ),
        examples=[True],
    )


class ProjectWrite(Strict):
    revision: int = Field(ge=0, le=MAX_REVISION, examples=[1])
    project: ProjectInput


class ProjectView(ProjectInput):
    model_config = ConfigDict(extra="ignore")
    project_id: str
    job_title: str | None = Field(None, description="The job title label, both genders.")
    city_name: str | None = None
    departement: str | None = None
    missing_fields: list[str] = Field(default_factory=list)


class Correction(BaseModel):
    """A value the save accepted but changed, and why (e.g. a ROME code from an older ROME version)."""

    field: str = Field(examples=["project.rome_code"])
    code: str = Field(examples=["rome_code_updated"])
    params: dict[str, str] = Field(default_factory=dict, examples=[{"given": "K2204", "current": "D1202"}])


class ProfileView(BaseModel):
    user_id: str
    revision: int
    first_name: str | None
    email: str | None = None
    role: str = "job-seeker"
    is_guest: bool
    registered_at: date
    questionnaire_finished_at: date | None = Field(
        None, description="Day the person reached the end of the questionnaire; null until then."
    )
    profile: ProfileInput
    projects: list[ProjectView]
    preferences: PreferencesInput
    missing_fields: list[str] = Field(description="What is still missing before a diagnosis, most useful first.")
    consents: dict[ConsentPurpose, bool]
    corrections: list[Correction] = Field(
        default_factory=list,
        description="What this save changed in the values sent (empty on a read): e.g. a job title's ROME code "
        "taken from the current ROME when the one sent came from an older version.",
    )


class ConsentChange(BaseModel):
    granted: bool


class ConsentEntry(BaseModel):
    purpose: ConsentPurpose
    granted: bool
    version: str
    at: str
    counsellor_id: str | None = None
    shared: list[SharedItem] | None = Field(
        None, description="For counsellor sharing: what the counsellor may read from then on."
    )


class Consents(BaseModel):
    current: dict[ConsentPurpose, bool]
    history: list[ConsentEntry]
