"""The notifications service's internal API as the gateway and the other services see it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from shared.contracts.strict import Strict
from shared.contracts.text import TypedText
from shared.contracts.vocabulary import CoachingEmailFrequency, Locale
from shared.envelope import SUBJECT_PATTERN

# Any text up to the longest link we sign: a truncated or altered token is an invalid link (403), not a
# malformed field, so the person reads what to do instead.
Token = Annotated[str, StringConstraints(min_length=1, max_length=600)]
VariableName = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]
VariableValue = Annotated[str, StringConstraints(max_length=2000)]
Comment = Annotated[str, TypedText(max_length=1000, multiline=True, blank=True)]


# --- messages -----------------------------------------------------------------------------------


class MessageRequest(Strict):
    """Queue one email of a campaign (login link, password reset, email-change or volunteer confirmation,
    account-deletion notice). The same dedupe key twice queues one message."""

    campaign: str = Field(examples=["login-link"])
    subject: str = Field(pattern=SUBJECT_PATTERN, examples=["u_9b2f4c1d7e8a4f3b"])
    dedupe_key: str = Field(
        min_length=1, max_length=200, pattern=r"^[A-Za-z0-9:_.-]+$", examples=["login:2026-11-22T09:30:00Z"]
    )
    variables: dict[VariableName, VariableValue] = Field(
        default_factory=dict, max_length=20, examples=[{"link": "https://coach.example/login?token=..."}]
    )


class MessageAccepted(BaseModel):
    message_id: str
    status: Literal["queued", "duplicate"]


MessageStatus = Literal["queued", "sending", "sent", "failed", "skipped", "uncertain"]


class MessageView(BaseModel):
    """One entry of the person's message log (what was sent, when, and what became of it)."""

    message_id: str
    campaign: str
    status: MessageStatus
    created_at: datetime
    send_after: datetime
    sent_at: datetime | None = None
    attempts: int = 0
    reason: str | None = Field(None, examples=["unsubscribed"])


# --- signed links and unsubscribe ---------------------------------------------------------------


class LinkCheck(Strict):
    token: Token
    purpose: str = Field(examples=["unsubscribe"])


class VerifiedLink(BaseModel):
    subject: str
    purpose: str


UnsubscribeChoiceKind = Literal["frequency", "stop", "resume", "delete-account"]


class UnsubscribeChoice(Strict):
    """What the person chose on the page a signed email link opens."""

    # The rules of _complete() and of the gateway's account deletion, told to the JSON schema (OpenAPI) too.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "allOf": [
                {
                    "if": {"properties": {"choice": {"const": "frequency"}}},
                    "then": {"required": ["frequency"], "properties": {"frequency": {"type": "string"}}},
                },
                {
                    "if": {"properties": {"choice": {"const": "delete-account"}}},
                    "then": {"required": ["confirm"], "properties": {"confirm": {"const": True}}},
                },
            ]
        },
    )

    token: Token
    choice: UnsubscribeChoiceKind = Field(examples=["frequency"])
    frequency: CoachingEmailFrequency | None = Field(None, description="Required when choice is frequency.")
    confirm: bool = Field(False, description="Required (true) when choice is delete-account.")

    @model_validator(mode="after")
    def _complete(self) -> UnsubscribeChoice:
        if self.choice == "frequency" and self.frequency is None:
            raise ValueError("frequency is required to change the frequency")
        return self


class OneClick(Strict):
    token: Token


class DeleteAccountAction(BaseModel):
    """How the page deletes the account: the same POST with this choice and ``confirm: true``."""

    method: Literal["POST"] = "POST"
    href: str = "/v1/emails/unsubscribe"
    choice: Literal["delete-account"] = "delete-account"
    requires_confirmation: bool = True


class UnsubscribePage(BaseModel):
    """What the unsubscribe page shows: the current choices, never the address or the name."""

    locale: Locale
    coaching_email_frequency: CoachingEmailFrequency
    stopped: bool
    frequencies: list[CoachingEmailFrequency] = list(CoachingEmailFrequency)
    choices: list[UnsubscribeChoiceKind] = ["frequency", "stop", "resume", "delete-account"]
    delete_account: DeleteAccountAction = DeleteAccountAction()


class UnsubscribeResult(BaseModel):
    status: Literal["frequency-changed", "stopped", "resumed"]
    coaching_email_frequency: CoachingEmailFrequency
    stopped: bool


# --- surveys ----------------------------------------------------------------------------------------


class FirstFollowupAnswers(Strict):
    """The follow-up survey a few days after sign-up."""

    score: int = Field(ge=1, le=5, description="How useful the coach was, 1 (not at all) to 5 (very).")
    comment: Comment | None = Field(None, description="Kept in this service only; never published.")


Helped = Literal["YES_A_LOT", "YES", "NO", "NOT_AT_ALL"]
NewContract = Literal[
    "CDI", "CDD_OVER_3_MONTHS", "CDD_LESS_EQUAL_3_MONTHS", "INTERIM", "APPRENTICESHIP", "SELF_EMPLOYED", "OTHER"
]


class EmploymentStatusAnswers(Strict):
    """The survey about three months after sign-up: did the person find a job, and did we help."""

    still_searching: bool
    has_new_job: bool = False
    contract: NewContract | None = None
    helped: Helped | None = Field(None, description="Did the coach help: a lot / yes / no / not at all.")

    @model_validator(mode="after")
    def _coherent(self) -> EmploymentStatusAnswers:
        if self.contract is not None and not self.has_new_job:
            raise ValueError("a contract needs a new job")
        return self


class NpsAnswers(Strict):
    score: int = Field(ge=0, le=10, description="Would you recommend the coach to a friend, 0 to 10.")
    comment: Comment | None = None


ANSWER_MODELS: dict[str, type[BaseModel]] = {
    "first-followup": FirstFollowupAnswers,
    "employment-status": EmploymentStatusAnswers,
    "nps": NpsAnswers,
}


class SurveySubmission(Strict):
    token: Token
    answers: dict[str, Any] = Field(
        description="first-followup: {score, comment?}; employment-status: {still_searching, has_new_job, "
        "contract?, helped?}; nps: {score, comment?}.",
        examples=[{"score": 5}],
    )


class SurveyQuestion(BaseModel):
    field: str
    label: str
    kind: Literal["scale", "choice", "boolean", "text"]
    choices: dict[str, str] = {}
    minimum: int | None = None
    maximum: int | None = None
    optional: bool = False


class SurveyPage(BaseModel):
    kind: str
    locale: Locale
    title: str
    introduction: str
    questions: list[SurveyQuestion]
    answered: bool
    answers: dict[str, Any] | None = Field(None, description="The answers already given, to change them.")


class SurveyRecorded(BaseModel):
    kind: str
    thanks: str


# --- impact ----------------------------------------------------------------------------------------


class Figure(BaseModel):
    """A share (0-1) or an NPS (-100..100), with its number of answers.

    Hidden under the minimum group size, and also where the overall figure would let a hidden group be
    worked out by subtraction.
    """

    value: float | None
    answers: int | None
    hidden: bool


class ImpactGroup(BaseModel):
    main_challenge: str | None = Field(description="null for everyone together.")
    satisfaction: Figure = Field(description="Share of follow-up answers rating the coach 4 or 5 out of 5.")
    nps: Figure = Field(description="Net promoter score: % promoters (9-10) minus % detractors (0-6).")
    found_job_share: Figure = Field(description="Share of employment-status answers with a new job.")
    helped_share_of_job_finders: Figure = Field(
        description="Among those who found a job, share who say the coach helped (a lot or yes)."
    )
    helped_share: Figure = Field(description="Among everyone who answered, share who say the coach helped.")


class Impact(BaseModel):
    min_group_size: int
    overall: ImpactGroup
    by_main_challenge: list[ImpactGroup]


# --- the person's data ---------------------------------------------------------------------------


class UserExport(BaseModel):
    """Everything the notifications service holds about one person."""

    subject: str
    recipient: dict[str, Any] | None
    messages: list[MessageView]
    survey_answers: list[dict[str, Any]]
    due_actions: list[dict[str, Any]]
