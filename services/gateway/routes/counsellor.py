"""Counsellor routes: accept an invitation, list the people who share with you, read their summary (read-only)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from services.gateway.deps import CurrentUser, ServicesDep, UserId
from services.gateway.problems import PROBLEM_RESPONSES
from services.gateway.tokens import Principal
from services.gateway.upstream import Services, UpstreamError
from services.profile.routes.counsellors import CounsellorLink, PersonSummary

router = APIRouter(prefix="/v1/counsellor", tags=["counsellor"], responses=PROBLEM_RESPONSES)


class Accept(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(max_length=200, description="The token from the invitation link.")


class FollowedPerson(BaseModel):
    summary: PersonSummary
    diagnoses: list[dict[str, Any]]
    plan_progress: dict[str, int] = Field(description="Actions by status.")


def require_counsellor(user: Principal) -> None:
    if user.role != "counsellor":
        raise HTTPException(status_code=403, detail="counsellors_only")


@router.post("/invitations/accept", response_model=CounsellorLink)
async def accept_invitation(body: Accept, user: CurrentUser, services: ServicesDep) -> Any:
    """Start following the person who sent you this invitation."""
    require_counsellor(user)
    return await services.call(
        "profile", "POST", f"/internal/counsellors/{user.user_id}/invitations/accept", json=body.model_dump()
    )


@router.get("/people", response_model=list[CounsellorLink])
async def people(user: CurrentUser, services: ServicesDep) -> Any:
    """Return the people who currently share their summary with you."""
    require_counsellor(user)
    return await services.call("profile", "GET", f"/internal/counsellors/{user.user_id}/people")


@router.get("/people/{user_id}", response_model=FollowedPerson)
async def person(user_id: UserId, user: CurrentUser, services: ServicesDep) -> FollowedPerson:
    """Return a consenting person's summary, diagnosis and plan progress; 404 once they revoke."""
    require_counsellor(user)
    # The profile service checks the link first: nothing else is read without the person's consent.
    summary = await services.call("profile", "GET", f"/internal/counsellors/{user.user_id}/people/{user_id}")
    diagnoses, plan = await asyncio.gather(
        _optional(services, "diagnostic", f"/internal/diagnoses/{user_id}"),
        _optional(services, "advice", f"/internal/plans/{user_id}"),
    )
    progress: dict[str, int] = {}
    for action in plan.get("actions", []) if isinstance(plan, dict) else []:
        status = str(action.get("status", "unknown"))
        progress[status] = progress.get(status, 0) + 1
    return FollowedPerson(
        summary=PersonSummary.model_validate(summary),
        diagnoses=diagnoses if isinstance(diagnoses, list) else [],
        plan_progress=progress,
    )


async def _optional(services: Services, service: str, path: str) -> Any:
    """Return a service's answer, or None when it is unavailable (the summary still shows)."""
    try:
        return await services.call(service, "GET", path)
    except UpstreamError:
        return None
