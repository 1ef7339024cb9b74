"""Public routes about the current person: profile, projects, diagnosis, plan."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.gateway.deps import CurrentUser, ServicesDep
from services.profile.schemas import ProfilePatch, ProfileView, ProjectWrite

router = APIRouter(prefix="/v1/me", tags=["me"])


@router.get("/profile", response_model=ProfileView)
async def read_profile(user: CurrentUser, services: ServicesDep) -> Any:
    """Return the person's profile, projects, preferences and what is still missing."""
    return await services.call("profile", "GET", f"/internal/profiles/{user.user_id}")


@router.patch("/profile", response_model=ProfileView)
async def update_profile(body: ProfilePatch, user: CurrentUser, services: ServicesDep) -> Any:
    """Save personal answers and preferences (step by step); 409 when ``revision`` is stale."""
    return await services.call(
        "profile", "PATCH", f"/internal/profiles/{user.user_id}", json=body.model_dump(mode="json", exclude_unset=True)
    )


@router.post("/projects", response_model=ProfileView, status_code=201)
async def add_project(body: ProjectWrite, user: CurrentUser, services: ServicesDep) -> Any:
    """Add a job-search project."""
    return await services.call(
        "profile",
        "POST",
        f"/internal/profiles/{user.user_id}/projects",
        json=body.model_dump(mode="json", exclude_unset=True),
    )


@router.patch("/projects/{project_id}", response_model=ProfileView)
async def update_project(project_id: str, body: ProjectWrite, user: CurrentUser, services: ServicesDep) -> Any:
    """Change a project (only the fields sent)."""
    return await services.call(
        "profile",
        "PATCH",
        f"/internal/profiles/{user.user_id}/projects/{project_id}",
        json=body.model_dump(mode="json", exclude_unset=True),
    )


@router.get("/diagnosis")
async def read_diagnosis(user: CurrentUser, services: ServicesDep) -> Any:
    """Return the diagnosis of each project."""
    return await services.call("diagnostic", "GET", f"/internal/diagnoses/{user.user_id}")


@router.get("/plan")
async def read_plan(user: CurrentUser, services: ServicesDep) -> Any:
    """Return the action plan."""
    return await services.call("advice", "GET", f"/internal/plans/{user.user_id}")
