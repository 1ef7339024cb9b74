"""Counsellor routes: accept an invitation, list the people who share with you, read what each shares (read-only).

What a counsellor reads is what the person chose to share with them (``shared``), checked here and in
the profile service: the diagnosis and the plan are not even read from their services when they are not
shared. The answer is about the person, not for them: codes and figures, which the client words in the
third person in the counsellor's language — never the sentences the diagnosis addresses to the person
("Vous craignez…"). Once the person ends the sharing, the answer is 410 ``sharing_ended`` with its date.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from functools import partial
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from services.gateway.deps import CurrentUser, ServicesDep, UserId
from services.gateway.problems import PROBLEM_RESPONSES
from services.gateway.tokens import Principal
from services.gateway.upstream import UpstreamError
from shared.contracts.counsellors import CounsellorLink, PersonSummary, SharedItem

router = APIRouter(prefix="/v1/counsellor", tags=["counsellor"], responses=PROBLEM_RESPONSES)
OPEN_STATUSES = frozenset({"unread", "current", "stuck"})


class Accept(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(max_length=200, description="The token from the invitation link.")


class FollowedChallenge(BaseModel):
    challenge: str = Field(examples=["start-your-search"])
    status: str = Field(examples=["needs-attention"])


class FollowedDiagnosis(BaseModel):
    """A project's diagnosis as codes and figures: the client words it about the person, in the third person."""

    project_id: str
    main_challenge: str | None = Field(description="The priority (a main-challenge code), null until known.")
    overall_score: int | None
    challenges: list[FollowedChallenge]
    missing_fields: list[str] = Field(description="Answers the person has not given yet, most useful first.")
    contains_estimates: bool
    diagnosed_at: str | None


class PlanProgress(BaseModel):
    """How the plan goes, without judging: what was done, what is due and not done yet, what was set aside."""

    today: str | None = Field(description="The person's date.")
    done: int = Field(description="Actions done since the start.")
    done_last_7_days: int
    due_not_done: int = Field(description="Actions planned up to today and not done yet (future ones not counted).")
    stuck: int = Field(description="Actions the person marked as stuck.")
    set_aside: int = Field(description="Actions the person declined.")
    last_done_on: str | None


class FollowedPerson(BaseModel):
    summary: PersonSummary
    shared: list[SharedItem] = Field(description="What the person shares with you; nothing else is read.")
    diagnoses: list[FollowedDiagnosis] | None = Field(description="Null unless the person shares « diagnosis ».")
    plan_progress: PlanProgress | None = Field(description="Null unless the person shares « plan-progress ».")


def require_counsellor(user: Principal) -> None:
    if user.role != "counsellor":
        raise HTTPException(status_code=403, detail="counsellors_only")


@router.post("/invitations/accept", response_model=CounsellorLink)
async def accept_invitation(body: Accept, user: CurrentUser, services: ServicesDep) -> Any:
    """Start following the person who sent you this invitation."""
    require_counsellor(user)
    return await services.profile.accept_invitation(user.user_id, body.token)


@router.get("/people", response_model=list[CounsellorLink])
async def people(user: CurrentUser, services: ServicesDep) -> Any:
    """Return the people who currently share their follow-up with you, and what each shares."""
    require_counsellor(user)
    return await services.profile.list_followed_people(user.user_id)


@router.get(
    "/people/{user_id}",
    response_model=FollowedPerson,
    responses={410: {"description": "The person ended the sharing: `sharing_ended`, with `params.ended_at`."}},
)
async def person(user_id: UserId, user: CurrentUser, services: ServicesDep) -> FollowedPerson:
    """Return what a person shares with you; 410 ``sharing_ended`` once they stop, 404 if they never shared."""
    require_counsellor(user)
    # The profile service checks the link first: nothing else is read without the person's consent.
    summary = PersonSummary.model_validate(await services.profile.read_followed_person(user.user_id, user_id))
    shared = set(summary.shared)
    diagnoses, plan = await asyncio.gather(
        _optional(partial(services.diagnostic.read_diagnoses, user_id), SharedItem.DIAGNOSIS in shared),
        _optional(partial(services.advice.read_plan, user_id), SharedItem.PLAN_PROGRESS in shared),
    )
    return FollowedPerson(
        summary=summary,
        shared=summary.shared,
        diagnoses=[followed_diagnosis(d) for d in diagnoses or []] if SharedItem.DIAGNOSIS in shared else None,
        plan_progress=plan_progress(plan if isinstance(plan, dict) else {})
        if SharedItem.PLAN_PROGRESS in shared
        else None,
    )


def followed_diagnosis(view: dict[str, Any]) -> FollowedDiagnosis:
    """Return the codes and figures of a diagnosis, leaving out every sentence written to the person."""
    return FollowedDiagnosis(
        project_id=str(view.get("project_id")),
        main_challenge=view.get("main_challenge"),
        overall_score=view.get("overall_score"),
        challenges=[
            FollowedChallenge(challenge=str(c.get("challenge")), status=str(c.get("status")))
            for c in view.get("challenges") or []
        ],
        missing_fields=list(view.get("missing_fields") or []),
        contains_estimates=bool(view.get("contains_estimates")),
        diagnosed_at=view.get("diagnosed_at"),
    )


def plan_progress(plan: dict[str, Any]) -> PlanProgress:
    """Return how the plan goes: done (in all and this week), due and not done, stuck, set aside."""
    today_text = plan.get("today")
    today = date.fromisoformat(today_text) if today_text else None
    week_ago = (today - timedelta(days=7)).isoformat() if today else None
    actions = plan.get("actions") or []
    done_days = sorted(str(a.get("done_at") or "")[:10] for a in actions if a.get("status") == "done")
    return PlanProgress(
        today=today_text,
        done=len(done_days),
        done_last_7_days=sum(1 for day in done_days if week_ago is not None and day > week_ago),
        due_not_done=sum(
            1
            for a in actions
            if a.get("status") in OPEN_STATUSES
            and a.get("due_on")
            and (today_text is None or a["due_on"] <= today_text)
        ),
        stuck=sum(1 for a in actions if a.get("status") == "stuck"),
        set_aside=sum(1 for a in actions if a.get("status") == "declined"),
        last_done_on=(done_days[-1] or None) if done_days else None,
    )


async def _optional(read: Callable[[], Awaitable[Any]], shared: bool) -> Any:
    """Return a service's answer when the part is shared (it is not even asked otherwise), else None;
    None too when it is unavailable."""
    if not shared:
        return None
    try:
        return await read()
    except UpstreamError:
        return None
