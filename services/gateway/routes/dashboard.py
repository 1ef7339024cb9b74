"""The dashboard: what the home page shows, in one request (a phone on a slow network pays one round trip)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.gateway.deps import CurrentUser, ServicesDep
from services.gateway.problems import PROBLEM_RESPONSES
from shared.contracts.api.advice import PlanView
from shared.contracts.api.diagnostic import DiagnosisView
from shared.contracts.api.profile import ProfileView

router = APIRouter(prefix="/v1/me", tags=["me"], responses=PROBLEM_RESPONSES)


class Dashboard(BaseModel):
    profile: ProfileView = Field(description="The profile, projects, preferences and what is still missing.")
    diagnosis: list[DiagnosisView] = Field(description="The diagnosis of each project (empty while it is prepared).")
    plan: PlanView = Field(description="Today's actions of the plan.")


@router.get("/dashboard", response_model=Dashboard)
async def read_dashboard(user: CurrentUser, services: ServicesDep) -> Any:
    """Return the profile, the diagnosis and today's plan together (the three services are asked at once)."""
    profile, diagnosis, plan = await asyncio.gather(
        services.profile.read_profile(user.user_id),
        services.diagnostic.read_diagnoses(user.user_id),
        services.advice.read_plan(user.user_id, view="today"),
    )
    return {"profile": profile, "diagnosis": diagnosis, "plan": plan}
