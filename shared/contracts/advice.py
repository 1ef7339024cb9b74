"""Events published by the advice service."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from shared.contracts.vocabulary import ActionPace, HelpKind
from shared.envelope import Contract, Event


class RankedAdvice(Contract):
    advice_id: str = Field(
        description="Id of the advice module in the advice catalogue.", examples=["network-application"]
    )
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
    strategy_id: str = Field(description="Id of the strategy in the advice catalogue.", examples=["targeted-search"])
    score: int = Field(ge=0, le=100, description="How well the strategy fits the person, 0-100.", examples=[60])
    is_principal: bool = Field(
        False, description="True for the one strategy put forward first (the best, unless secondary).", examples=[True]
    )
    is_secondary: bool = Field(False, description="A score of 10 or less: shown after the others.", examples=[False])


class AdviceReadyData(Contract):
    project_id: str = Field(description="Id of the project the advice is for.", examples=["p1"])
    diagnosis_id: str = Field(description="Id of the diagnosis the advice was ranked from.", examples=["d_9b2f4c1d"])
    profile_revision: int = Field(ge=0, description="Revision of the profile the diagnosis was based on.", examples=[3])
    advice: list[RankedAdvice] = Field(
        default_factory=list,
        description="The advice for the person, best first.",
        examples=[
            [
                {
                    "advice_id": "network-application",
                    "stars": 3,
                    "reasons": ["Les contacts sont le premier canal d'embauche pour ce métier."],
                    "missing_fields": [],
                }
            ]
        ],
    )
    strategies: list[RankedStrategy] = Field(
        default_factory=list,
        description="The search strategies, principal first.",
        examples=[[{"strategy_id": "targeted-search", "score": 60, "is_principal": True, "is_secondary": False}]],
    )
    pace: ActionPace = Field(description="Actions a day the plan was built for.", examples=["ONE_TO_TWO"])
    actions_planned: int = Field(ge=0, description="Actions scheduled in the plan.", examples=[12])
    actions_today: int = Field(ge=0, description="Actions scheduled for today.", examples=[2])
    fingerprint: str = Field(
        description="Hash of the ranked advice and plan (32 hex digits); equal fingerprints mean nothing new.",
        examples=["9d4e1f0a7c3b2e8d6f5a1c0b9e8d7f6a"],
    )


class AdviceReady(Event):
    """A person's advice and action plan are ready (new or changed)."""

    topic = "advice-ready"
    event_type: Literal["advice-ready"] = Field(
        "advice-ready", description='Always "advice-ready".', examples=["advice-ready"]
    )
    producer: str = Field("advice", description='Always "advice", the publishing service.', examples=["advice"])
    data: AdviceReadyData = Field(description="The ranked advice, strategies and plan summary of one project.")


class ActionDueData(Contract):
    action_id: str = Field(description="Id of the action in the person's plan.", examples=["a_5c1e0b7d9a2f4e61"])
    template_id: str = Field(description="Action catalogue id.", examples=["ask-cv-review"])
    advice_id: str | None = Field(
        None,
        description="Id of the advice the action comes from; null when it is tied to no advice.",
        examples=["improve-resume"],
    )
    project_id: str = Field(description="Id of the project the action belongs to.", examples=["p1"])
    due_on: date = Field(
        description="Day the action is due, in the person's time zone (ISO 8601).", examples=["2026-11-23"]
    )
    title: str = Field(description="Catalogue title in the person's language.", examples=["Faire relire son CV"])
    duration_minutes: int = Field(ge=0, description="Estimated time the action takes, in minutes.", examples=[30])
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
    event_type: Literal["action-due"] = Field("action-due", description='Always "action-due".', examples=["action-due"])
    producer: str = Field("advice", description='Always "advice", the publishing service.', examples=["advice"])
    data: ActionDueData = Field(description="The action that is due and what is needed to help with it.")
