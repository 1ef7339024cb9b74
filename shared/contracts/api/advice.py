"""The advice service's API schemas (the gateway imports them for its OpenAPI document).

``*View`` models are what the service answers; ``ActionPatch``,
``OwnActionCreate`` and ``DaysOffUpdate`` are what clients send (unknown fields
are refused).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from shared.contracts.strict import Strict
from shared.contracts.text import PlainText
from shared.contracts.vocabulary import ActionPace, HelpKind, MainChallenge

View = Literal["today", "tomorrow", "week", "done", "saved", "declined", "all"]


class ActionStatus(StrEnum):
    UNREAD = "unread"  # proposed by the plan, not opened yet
    CURRENT = "current"  # the person is on it
    STUCK = "stuck"  # the person is stuck on it
    DONE = "done"
    SNOOZED = "snoozed"  # postponed to a chosen day
    DECLINED = "declined"  # not for the person
    SAVED = "saved"  # kept for later, without a day


Duration = Literal["15-30min", "1h", "1-3h"]
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: object) -> object:
    # A lax date would take 0 or "1700006400" (Unix time) and "2026-12-24T00:00:00" as days.
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", "a date YYYY-MM-DD is expected")


# A calendar day as a client writes it: "2026-12-24", nothing else.
Day = Annotated[date, BeforeValidator(_iso_day)]
OwnTitle = PlainText


class ResourceView(BaseModel):
    url: str = Field(examples=["https://labonneboite.francetravail.fr/"])
    label: str = Field(examples=["La Bonne Boîte"])


class Why(BaseModel):
    """One reason an advice is shown, and the answers it states about the person."""

    text: str = Field(examples=["Vous cherchez depuis 8 mois."])
    answers: list[str] = Field(
        description=(
            "The profile fields whose answers the sentence states, each a question of 'Mes réponses' the person "
            "can change; empty when it states nothing about them (a fact about the job or the market)."
        ),
        examples=[["job_search_started_at"]],
    )


class AdviceCard(BaseModel):
    """One piece of advice, ranked, with why it is shown."""

    advice_id: str = Field(examples=["improve-resume"])
    stars: int = Field(ge=1, le=3, examples=[2])
    score: float = Field(ge=0, le=3, examples=[2.0])
    title: str = Field(examples=["Améliorer son CV"])
    pitch: str
    tips: list[str]
    reasons: list[str] = Field(
        description="Why this advice, generated in the person's language; figures from the market model say so.",
        examples=[["Vous cherchez depuis 6 mois."]],
    )
    why: list[Why] = Field(default_factory=list, description="The same reasons, each with the answers it states.")
    missing_fields: list[str] = Field(description="Answers that would make this advice more precise.")
    resource: ResourceView | None = None


class StrategyCard(BaseModel):
    strategy_id: str = Field(examples=["targeted-search"])
    score: int = Field(ge=0, le=100, examples=[60])
    is_principal: bool
    is_secondary: bool = Field(description="Score of 10 or less.")
    title: str
    description: str
    advice_ids: list[str] = Field(description="The strategy's advice shown to the person, best first.")


class Question(BaseModel):
    field: str = Field(
        description="A profile field to ask for, always a question of 'Mes réponses'.",
        examples=["total_interview_count"],
    )
    advice_ids: list[str] = Field(description="The advice its answer would refine (none: the diagnosis needs it).")


class ProjectAdvice(BaseModel):
    project_id: str = Field(examples=["p1"])
    diagnosis_id: str
    profile_revision: int
    main_challenge: MainChallenge | None
    advice: list[AdviceCard] = Field(description="Every advice for the person, best first.")
    first_shown: int = Field(
        0, ge=0, description="How many advice to show at first (at most 12); the rest is behind 'see more'."
    )
    strategies: list[StrategyCard]
    questions: list[Question] = Field(
        description="Unanswered questions to ask beside the advice, most useful first (advice is never 'answer more')."
    )
    updated_at: datetime


class AdviceView(BaseModel):
    """The person's ranked advice and strategies, per project."""

    subject: str
    locale: str = Field(examples=["fr"])
    projects: list[ProjectAdvice]


class ActionView(BaseModel):
    """One action of the plan."""

    action_id: str = Field(examples=["a_5c1e0b7d9a2f4e61"])
    project_id: str
    origin: Literal["plan", "own"] = Field(description="Proposed by the plan, or added by the person.")
    template_id: str | None = Field(examples=["ask-cv-review"])
    advice_id: str | None
    strategy_id: str | None
    title: str
    description: str | None
    duration: Duration
    minutes: int
    tags: list[str]
    resource: ResourceView | None
    needs_help: HelpKind | None = Field(description="Set when a volunteer helps with this action.")
    status: ActionStatus
    due_on: date | None = Field(description="The day the action is planned on (none when saved or declined).")
    overdue: bool
    deadline: date | None
    snoozed_until: date | None
    was_useful: bool | None
    done_at: datetime | None
    allowed_statuses: list[ActionStatus] = Field(description="Statuses the action may move to now.")


class PaceView(BaseModel):
    pace: ActionPace
    min_actions: int = Field(description="Actions a day the plan aims for.", examples=[1])
    max_actions: int = Field(description="Actions a day the plan never exceeds.", examples=[2])
    max_minutes: int = Field(description="Time budget of a day, in minutes.", examples=[90])


class PlanView(BaseModel):
    """One view of the person's plan."""

    subject: str
    view: View
    today: date = Field(description="The person's date, in their time zone.")
    pace: PaceView
    working_days: list[int] = Field(description="0 = Monday.", examples=[[0, 1, 2, 3, 4]])
    days_off: list[date]
    counts: dict[str, int] = Field(description="How many actions each view holds.")
    actions: list[ActionView]


class ActionPatch(Strict):
    """A change the person makes to an action. ``deadline: null`` removes the deadline."""

    # The rules of plan.apply_change() that need no state, told to the JSON schema (OpenAPI) too: something
    # changes, a snooze has its day, and a day to snooze to comes with the snooze.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "allOf": [
                {
                    "anyOf": [
                        {"required": ["status"], "properties": {"status": {"type": "string"}}},
                        {"required": ["deadline"]},
                        {"required": ["was_useful"], "properties": {"was_useful": {"type": "boolean"}}},
                    ]
                },
                {
                    "if": {"required": ["status"], "properties": {"status": {"const": "snoozed"}}},
                    "then": {"required": ["snoozed_until"], "properties": {"snoozed_until": {"type": "string"}}},
                },
                {
                    "if": {"required": ["snoozed_until"], "properties": {"snoozed_until": {"type": "string"}}},
                    "then": {"required": ["status"], "properties": {"status": {"const": "snoozed"}}},
                },
            ]
        },
    )

    status: ActionStatus | None = Field(None, examples=["done"])
    snoozed_until: date | None = Field(None, description="Required with status snoozed; after today.")
    deadline: date | None = Field(None, description="The day the person will do it (today or later).")
    was_useful: bool | None = Field(None, description="Only once the action is done.")


class OwnActionCreate(Strict):
    """An action the person adds. Its title stays in the advice service: it is never published."""

    title: OwnTitle = Field(examples=["Appeler Mme Martin au sujet du poste"])
    project_id: str | None = Field(
        None, pattern=r"^p[0-9]{1,3}$", examples=["p1"], description="Defaults to the person's first project."
    )
    due_on: date | None = Field(None, description="The day to do it (today or later); today by default.")
    duration: Duration = "15-30min"


class DaysOffUpdate(Strict):
    """Days the person will not work on their search (holidays, appointments), besides public holidays."""

    days_off: list[Day] = Field(max_length=120, examples=[["2026-12-24", "2026-12-31"]])


class UserExport(BaseModel):
    """Everything the advice service holds about a person."""

    subject: str
    exported_at: datetime
    person: dict[str, Any] | None
    plans: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    schedule: list[dict[str, Any]]
    reminders: dict[str, Any] | None
