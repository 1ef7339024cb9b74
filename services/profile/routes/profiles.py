"""The profile and its projects (internal API)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.profile.edits import apply_project, merge_profile
from services.profile.profiles import check_revision, commit, load, profile_view
from services.profile.schemas import ProfilePatch, ProfileView, ProjectWrite
from shared.problems import ConflictError, NotFoundError
from shared.service import RuntimeDep

router = APIRouter(prefix="/internal", tags=["profiles"])
MAX_PROJECTS = 5


class Contact(BaseModel):
    """How to address a person; read at send time, never copied onto Kafka."""

    user_id: str
    email: str | None
    email_verified: bool = False
    first_name: str | None
    locale: str
    gender: str
    role: str


class Revision(BaseModel):
    revision: int = Field(ge=0)


@router.get("/profiles/{user_id}", response_model=ProfileView)
async def read_profile(user_id: str, runtime: RuntimeDep) -> ProfileView:
    doc, account = await load(runtime, user_id)
    return profile_view(doc, account)


@router.patch("/profiles/{user_id}", response_model=ProfileView)
async def patch_profile(user_id: str, body: ProfilePatch, runtime: RuntimeDep) -> ProfileView:
    """Apply personal and preference changes; 409 when ``revision`` is stale."""
    doc, account = await load(runtime, user_id)
    check_revision(doc, body.revision)
    merged = merge_profile(doc, body.profile, body.preferences, today=runtime.clock().date())
    return await commit(runtime, merged, account, body.revision)


@router.post("/profiles/{user_id}/projects", response_model=ProfileView, status_code=201)
async def add_project(user_id: str, body: ProjectWrite, runtime: RuntimeDep) -> ProfileView:
    """Add a project (at most five)."""
    doc, account = await load(runtime, user_id)
    check_revision(doc, body.revision)
    if len(doc["projects"]) >= MAX_PROJECTS:
        raise ConflictError("too_many_projects", max=MAX_PROJECTS)
    used = {p["project_id"] for p in doc["projects"]}
    project_id = next(f"p{i}" for i in range(1, 1000) if f"p{i}" not in used)
    doc["projects"].append(
        apply_project(
            None,
            body.project,
            project_id=project_id,
            rome=runtime.extras["rome"],
            geo=runtime.extras["geo"],
            today=runtime.clock().date(),
        )
    )
    return await commit(runtime, doc, account, body.revision)


def _project_index(doc: dict[str, object], project_id: str) -> int:
    projects = doc["projects"]
    assert isinstance(projects, list)
    index = next((i for i, p in enumerate(projects) if p["project_id"] == project_id), None)
    if index is None:
        raise NotFoundError("project")
    return index


@router.patch("/profiles/{user_id}/projects/{project_id}", response_model=ProfileView)
async def patch_project(user_id: str, project_id: str, body: ProjectWrite, runtime: RuntimeDep) -> ProfileView:
    """Change the fields sent of a project."""
    doc, account = await load(runtime, user_id)
    check_revision(doc, body.revision)
    index = _project_index(doc, project_id)
    doc["projects"][index] = apply_project(
        doc["projects"][index],
        body.project,
        project_id=project_id,
        rome=runtime.extras["rome"],
        geo=runtime.extras["geo"],
        today=runtime.clock().date(),
    )
    return await commit(runtime, doc, account, body.revision)


@router.delete("/profiles/{user_id}/projects/{project_id}", response_model=ProfileView)
async def delete_project(user_id: str, project_id: str, body: Revision, runtime: RuntimeDep) -> ProfileView:
    """Remove a project."""
    doc, account = await load(runtime, user_id)
    check_revision(doc, body.revision)
    del doc["projects"][_project_index(doc, project_id)]
    return await commit(runtime, doc, account, body.revision)


@router.get("/contacts/{user_id}", response_model=Contact)
async def contact(user_id: str, runtime: RuntimeDep) -> Contact:
    """Return how to address a person (the notifications service reads it at send time)."""
    doc, account = await load(runtime, user_id)
    return Contact(
        user_id=user_id,
        email=account.get("email"),
        email_verified=account.get("email_verified", False),
        first_name=account.get("first_name"),
        locale=doc.get("preferences", {}).get("locale", "fr"),
        gender=doc.get("profile", {}).get("gender") or "UNKNOWN",
        role=account["role"],
    )
