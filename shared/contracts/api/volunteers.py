"""What clients send to and read from the volunteers service (the gateway exposes them under /v1).

Inputs refuse unknown fields. Views show each person only their own data and
what the other side chose to share; they never carry the other side's user id.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from shared.contracts.strict import Strict
from shared.contracts.text import FirstName as FirstName  # the gateway's volunteer sign-up imports it here
from shared.contracts.text import MultilineText, TypedText
from shared.contracts.vocabulary import MEETING_HELPS, Help

RomeCode = Annotated[str, StringConstraints(pattern=r"^[A-N][0-9]{4}$")]
DomainCode = Annotated[str, StringConstraints(pattern=r"^[A-N]([0-9]{2})?$")]
CityCode = Annotated[str, StringConstraints(pattern=r"^[0-9][0-9AB][0-9]{3}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
# An action of the person's plan (the advice service's ids: "a_" and hexadecimal digits).
ActionId = Annotated[str, StringConstraints(pattern=r"^a_[A-Za-z0-9_-]{1,64}$")]
Slot = Literal["weekday-mornings", "weekday-afternoons", "weekday-evenings", "weekends"]
Note = Annotated[str, TypedText(max_length=500, multiline=True)]
MessageBody = MultilineText
Comment = Annotated[str, TypedText(max_length=1000, multiline=True)]


class PledgeStatus(StrEnum):
    PENDING_CONFIRMATION = "pending-confirmation"  # the email address is not confirmed yet
    ACTIVE = "active"
    PAUSED = "paused"
    WITHDRAWN = "withdrawn"
    SUSPENDED = "suspended"  # reported by several job seekers: out of matching until reviewed


class ReportReason(StrEnum):
    INAPPROPRIATE_BEHAVIOUR = "inappropriate-behaviour"
    HARASSMENT = "harassment"
    NO_SHOW = "no-show"
    SPAM_OR_SALES = "spam-or-sales"
    UNSAFE_DOCUMENT = "unsafe-document"
    OTHER = "other"


# --- Pledges ---------------------------------------------------------------------------------------


class CoffeeOptions(Strict):
    """How the volunteer meets (coffee chats, mock interviews): in person within a distance, and/or remote."""

    in_person: bool = Field(True, description="Meets in person within max_distance_km of city_insee.")
    city_insee: CityCode | None = Field(None, description="Commune where the volunteer can meet.", examples=["69123"])
    max_distance_km: int = Field(10, ge=1, le=100, description="How far the volunteer will go.", examples=[15])
    remote: bool = Field(True, description="Also by video or phone.")


# The rule of pledges.validated() about meetings, told to the JSON schema (OpenAPI) too: with a coffee
# chat or a mock interview among the kinds, the coffee (meeting) options say where, in person in a
# commune (the default) or remote.
COFFEE_NEEDS_A_PLACE: dict[str, Any] = {
    "if": {
        "required": ["kinds"],
        "properties": {"kinds": {"contains": {"enum": sorted(kind.value for kind in MEETING_HELPS)}}},
    },
    "then": {
        "required": ["coffee"],
        "properties": {
            "coffee": {
                "type": "object",
                "anyOf": [
                    {
                        "required": ["city_insee"],
                        "properties": {"in_person": {"const": True}, "city_insee": {"type": "string"}},
                    },
                    {
                        "required": ["in_person"],
                        "properties": {"in_person": {"const": False}, "remote": {"const": True}},
                    },
                ],
            }
        },
    },
}


class PledgeInput(Strict):
    """What a volunteer pledges."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=COFFEE_NEEDS_A_PLACE)

    kinds: list[Help] = Field(
        min_length=1, max_length=len(Help), examples=[["cv-review", "coffee-chat", "mock-interview"]]
    )
    monthly_capacity: int = Field(ge=1, le=10, description="Helps per month, at most.", examples=[2])
    job_groups: list[RomeCode] = Field(
        default_factory=list, max_length=10, description="ROME job groups the volunteer knows.", examples=[["D1202"]]
    )
    domains: list[DomainCode] = Field(
        default_factory=list,
        max_length=10,
        description="ROME domains the volunteer knows: a grand domaine (D) or a domaine professionnel (D12).",
        examples=[["D12"]],
    )
    open_to_any_trade: bool = Field(False, description="Also helps people from other trades (general advice).")
    languages: list[LanguageCode] = Field(default_factory=lambda: ["fr"], min_length=1, max_length=10)
    coffee: CoffeeOptions | None = Field(
        None, description="Where the volunteer meets: required when kinds includes coffee-chat or mock-interview."
    )
    availability: list[Slot] = Field(
        default_factory=list, max_length=4, description="When the volunteer can meet; empty means flexible."
    )


def _left_out_means_unchanged(schema: dict[str, Any]) -> None:
    # A field left out keeps its value: the document shows no default (None is not one the client may send).
    for field in schema.get("properties", {}).values():
        if field.get("default", "") is None and "anyOf" not in field:
            del field["default"]


class PledgeUpdate(Strict):
    """A partial change of the pledge (only the fields sent).

    A field may be left out but not sent as null (the pledge always has one), except ``coffee``: null
    removes the coffee options. ``SkipJsonSchema[None]`` keeps null out of the OpenAPI document; the
    change is validated as a whole pledge, where a null is refused naming the field.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=_left_out_means_unchanged)

    # The constraints sit on the type, not on the field: on a union, the JSON schema would drop them.
    kinds: Annotated[list[Help], Field(min_length=1, max_length=len(Help))] | SkipJsonSchema[None] = None
    monthly_capacity: Annotated[int, Field(ge=1, le=10)] | SkipJsonSchema[None] = None
    job_groups: Annotated[list[RomeCode], Field(max_length=10)] | SkipJsonSchema[None] = None
    domains: Annotated[list[DomainCode], Field(max_length=10)] | SkipJsonSchema[None] = None
    open_to_any_trade: bool | SkipJsonSchema[None] = None
    languages: Annotated[list[LanguageCode], Field(min_length=1, max_length=10)] | SkipJsonSchema[None] = None
    coffee: CoffeeOptions | None = None
    availability: Annotated[list[Slot], Field(max_length=4)] | SkipJsonSchema[None] = None


class PledgeCreate(PledgeInput):
    """The pledge with the first name shown to matched job seekers (internal: the gateway adds it)."""

    first_name: FirstName


class PauseInput(Strict):
    until: date | None = Field(None, description="Resume by itself on this day; empty: until resumed.")


class ConfirmInput(Strict):
    token: str = Field(min_length=10, max_length=500)


class PledgeStats(BaseModel):
    helps_this_month: int
    remaining_this_month: int
    completed: int
    average_rating: float | None = Field(description="From the job seekers' feedback, 1 to 5.")
    ratings: int


class PledgeView(PledgeInput):
    model_config = ConfigDict(extra="ignore", json_schema_extra=None)
    status: PledgeStatus
    first_name: str
    created_at: datetime
    confirmed_at: datetime | None = None
    paused_until: date | None = None
    stats: PledgeStats


class PledgeCreated(PledgeView):
    """Internal answer: the signed token the gateway puts in the confirmation link."""

    confirmation_token: str


class ConfirmationToken(BaseModel):
    confirmation_token: str


class KindCounter(BaseModel):
    volunteers: int
    completed: int


class Counters(BaseModel):
    """Public counters: aggregates only."""

    active_volunteers: int = Field(examples=[1250])
    helps_pledged_per_month: int = Field(description="Sum of the active pledges' monthly capacity.")
    helps_completed: int
    helps_in_progress: int
    by_kind: dict[Help, KindCounter]
    average_rating: float | None


# --- Help requests ---------------------------------------------------------------------------------


class SharingChoice(Strict):
    """What the job seeker chooses to show the volunteer; matching uses nothing else."""

    share_first_name: bool = Field(False, description="Show my first name.")
    rome_code: RomeCode | None = Field(None, description="My target job group, to find someone of the trade.")
    city_insee: CityCode | None = Field(None, description="My commune, for a coffee in person nearby.")
    languages: list[LanguageCode] = Field(default_factory=lambda: ["fr"], min_length=1, max_length=5)
    meet_in_person: bool = Field(
        True, description="For a meeting (coffee, mock interview): I can meet in person (needs city_insee)."
    )
    remote_ok: bool = Field(True, description="For a meeting (coffee, mock interview): by video or phone is fine.")
    availability: list[Slot] = Field(default_factory=list, max_length=4)
    note: Note | None = Field(None, description="A few words for the volunteer (stays in this service).")


class SharingWrite(SharingChoice):
    """Internal: the gateway adds the first name from the profile when the person chose to share it."""

    first_name: FirstName | None = None


class HelpRequestCreate(Strict):
    """A request the person makes: with the sharing choice it opens at once; without, it waits for it."""

    kind: Help
    sharing: SharingChoice | None = Field(
        None, description="What the volunteer will see; left out, the request waits for this choice (PUT …/sharing)."
    )
    action_id: ActionId | None = Field(
        None,
        description="The action of the plan this help is for (its button « Demander à un ou une bénévole »). "
        "Asking again for the same action answers the same request.",
        examples=["a_5c1e0b7d9a2f4e61"],
    )


class HelpRequestWrite(Strict):
    kind: Help
    sharing: SharingWrite | None = None
    action_id: ActionId | None = None


class CodeLabel(BaseModel):
    code: str
    label: str


class SharedFacts(BaseModel):
    """What the job seeker shared."""

    first_name: str | None = None
    job_group: CodeLabel | None = None
    city: CodeLabel | None = None
    languages: list[str] = Field(default_factory=list)
    meet_in_person: bool = True
    remote_ok: bool = True
    availability: list[str] = Field(default_factory=list)
    note: str | None = None


class DocumentInfo(BaseModel):
    document_id: str
    filename: str
    content_type: str
    size: int
    uploaded_at: datetime
    delete_after: datetime | None = None


class ReasonView(BaseModel):
    code: str
    fr: str
    en: str


class ContactSharing(BaseModel):
    mine: bool = Field(description="I accept to share my contact details.")
    theirs: bool = Field(description="The other side accepts.")


class FeedbackView(BaseModel):
    rating: int
    comment: str | None
    at: datetime


class MatchSummary(BaseModel):
    """The job seeker's view of the volunteer found for the request."""

    match_id: str
    status: str
    proposed_at: datetime
    respond_by: datetime | None = None
    answered_at: datetime | None = None
    work_due_by: datetime | None = None
    scheduled_at: datetime | None = None
    completed_at: datetime | None = None
    volunteer_first_name: str | None = Field(None, description="Shown once the volunteer accepted.")
    reasons: list[ReasonView]
    review_document: DocumentInfo | None = None
    contact: ContactSharing
    my_feedback: FeedbackView | None = None
    their_feedback_given: bool = False


class HelpRequestView(BaseModel):
    request_id: str
    kind: Help
    status: str
    origin: Literal["plan", "direct", "action-due"] = Field(
        description="plan: asked with the button of an action of the plan; direct: from the help page; "
        "action-due: made by the service from a due action, before it stopped doing so (older requests)."
    )
    action_id: str | None = Field(None, description="The action of the plan this help was asked for.")
    created_at: datetime
    opened_at: datetime | None = None
    suggested_rome_code: str | None = Field(None, description="From the action plan, to pre-fill the sharing choice.")
    suggested_city_insee: str | None = None
    sharing: SharedFacts | None = None
    document: DocumentInfo | None = None
    match: MatchSummary | None = None
    volunteers_asked: int = Field(0, description="How many volunteers were proposed so far.")


class VolunteerMatchView(BaseModel):
    """The volunteer's view of a match: only what the job seeker chose to share."""

    match_id: str
    kind: Help
    status: str
    score: float
    proposed_at: datetime
    respond_by: datetime | None = None
    answered_at: datetime | None = None
    work_due_by: datetime | None = None
    scheduled_at: datetime | None = None
    finish_by: datetime | None = None
    completed_at: datetime | None = None
    seeker: SharedFacts
    reasons: list[ReasonView]
    document: DocumentInfo | None = Field(None, description="The document to review, once accepted.")
    review_document: DocumentInfo | None = None
    contact: ContactSharing
    my_feedback: FeedbackView | None = None
    their_feedback_given: bool = False


# --- Actions on a match ----------------------------------------------------------------------------


class ScheduleInput(Strict):
    at: AwareDatetime = Field(description="When the meeting (coffee, mock interview) takes place (with the time zone).")


class CompleteInput(Strict):
    pass


class FeedbackInput(Strict):
    rating: int = Field(ge=1, le=5, examples=[5])
    comment: Comment | None = None


class ContactSharingInput(Strict):
    share: bool = Field(description="Accept to show my email to the other side (shown only when both accept).")


class ReportInput(Strict):
    reason: ReportReason
    comment: Comment | None = None


class MessageInput(Strict):
    body: MessageBody


class MessageView(BaseModel):
    message_id: str
    from_me: bool
    body: str
    sent_at: datetime


class MessagePosted(MessageView):
    """Internal: who to notify (the gateway asks the notifications service; the text is not sent)."""

    recipient_id: str


class Counterpart(BaseModel):
    """Internal: the other side, given only when both accepted to share contact details."""

    user_id: str
