"""Events published by the advice service."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from shared.contracts.vocabulary import ActionPace, HelpKind
from shared.envelope import Contract, Event


class RankedAdvice(Contract):
    advice_id: str = Field(examples=["network-application"])
    stars: int = Field(ge=0, le=3, description="Score 0-3 shown as stars.", examples=[3])
    reasons: list[str] = Field(
        default_factory=list,
        description="Why this advice, in the person's language (generated text, never typed by the person).",
        examples=[["Les contacts sont le premier canal d'embauche pour ce métier."]],
    )
    missing_fields: list[str] = Field(
        default_factory=list,
        description="Profile fields whose answer would make this advice more precise, most useful first.",
        examples=[["total_interview_count"]],
    )


class RankedStrategy(Contract):
    strategy_id: str = Field(examples=["targeted-search"])
    score: int = Field(ge=0, le=100, examples=[60])
    is_principal: bool = False
    is_secondary: bool = Field(False, description="A score of 10 or less: shown after the others.")


class AdviceReadyData(Contract):
    project_id: str = Field(examples=["p1"])
    diagnosis_id: str = Field(examples=["d_9b2f4c1d"])
    profile_revision: int = Field(ge=0)
    advice: list[RankedAdvice] = Field(default_factory=list)
    strategies: list[RankedStrategy] = Field(default_factory=list)
    pace: ActionPace = Field(examples=["ONE_TO_TWO"])
    actions_planned: int = Field(ge=0, description="Actions scheduled in the plan.", examples=[12])
    actions_today: int = Field(ge=0, description="Actions scheduled for today.", examples=[2])
    fingerprint: str = Field(description="Hash of the ranked advice and plan.")


class AdviceReady(Event):
    """A person's advice and action plan are ready (new or changed)."""

    topic = "advice-ready"
    event_type: Literal["advice-ready"] = "advice-ready"
    producer: str = "advice"
    data: AdviceReadyData


class ActionDueData(Contract):
    action_id: str = Field(examples=["a_5c1e"])
    template_id: str = Field(description="Action catalogue id.", examples=["ask-cv-review"])
    advice_id: str | None = Field(None, examples=["improve-resume"])
    project_id: str = Field(examples=["p1"])
    due_on: date = Field(examples=["2026-11-23"])
    title: str = Field(description="Catalogue title in the person's language.", examples=["Faire relire son CV"])
    duration_minutes: int = Field(ge=0, examples=[30])
    needs_help: HelpKind | None = Field(
        None,
        description="Set when the action needs a volunteer (CV review, cover letter, coffee chat).",
        examples=["cv-review"],
    )
    rome_code: str | None = Field(None, description="Target job group, for matching volunteers.", examples=["K2204"])
    city_insee: str | None = Field(None, description="City code, for matching volunteers.", examples=["69123"])


class ActionDue(Event):
    """An action of the person's plan became due today."""

    topic = "action-due"
    event_type: Literal["action-due"] = "action-due"
    producer: str = "advice"
    data: ActionDueData
