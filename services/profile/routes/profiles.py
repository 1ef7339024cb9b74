"""The profile and its projects (internal API)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from services.profile.edits import read_profile_patch, read_project_write
from services.profile.profiles import check_revision, commit, load, profile_view
from services.profile.state import ProfileRuntimeDep
from shared.contracts.api.profile import MAX_REVISION, ProfileView
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
    revision: int = Field(ge=0, le=MAX_REVISION)


@router.get("/profiles/{user_id}", response_model=ProfileView)
async def read_profile(user_id: str, runtime: RuntimeDep) -> ProfileView:
    doc, account = await load(runtime, user_id)
    return profile_view(doc, account)


# The bodies are read by services/profile/edits.py, not by FastAPI: a format problem in one field must not
# hide the problems of the others (an unknown code, an impossible date): they all come in one 422.
ProfilePatchBody = Annotated[Any, Body(description="A ProfilePatch: {revision, profile?, preferences?}.")]
ProjectWriteBody = Annotated[Any, Body(description="A ProjectWrite: {revision, project}.")]


@router.patch("/profiles/{user_id}", response_model=ProfileView)
async def patch_profile(user_id: str, body: ProfilePatchBody, runtime: RuntimeDep) -> ProfileView:
    """Apply personal and preference changes; 409 when ``revision`` is stale, 422 with every problem."""
    doc, account = await load(runtime, user_id)
    revision, merged = read_profile_patch(body, doc, today=runtime.clock().date(), stored_revision=doc["revision"])
    return await commit(runtime, merged, account, revision)


@router.post("/profiles/{user_id}/projects", response_model=ProfileView, status_code=201)
async def add_project(user_id: str, body: ProjectWriteBody, runtime: ProfileRuntimeDep) -> ProfileView:
    """Add a project (at most five); the answer lists the values the save corrected."""
    doc, account = await load(runtime, user_id)
    if len(doc["projects"]) >= MAX_PROJECTS:
        raise ConflictError("too_many_projects", max=MAX_PROJECTS)
    used = {p["project_id"] for p in doc["projects"]}
    project_id = next(f"p{i}" for i in range(1, 1000) if f"p{i}" not in used)
    rome, geo = runtime.state.codes()
    revision, project, corrections = read_project_write(
        body,
        None,
        project_id=project_id,
        rome=rome,
        geo=geo,
        today=runtime.clock().date(),
        stored_revision=doc["revision"],
    )
    doc["projects"].append(project)
    view = await commit(runtime, doc, account, revision)
    return view.model_copy(update={"corrections": corrections})


def _project_index(doc: dict[str, object], project_id: str) -> int:
    projects = doc["projects"]
    assert isinstance(projects, list)
    index = next((i for i, p in enumerate(projects) if p["project_id"] == project_id), None)
    if index is None:
        raise NotFoundError("project")
    return index


@router.patch("/profiles/{user_id}/projects/{project_id}", response_model=ProfileView)
async def patch_project(
    user_id: str, project_id: str, body: ProjectWriteBody, runtime: ProfileRuntimeDep
) -> ProfileView:
    """Change the fields sent of a project; the answer lists the values the save corrected."""
    doc, account = await load(runtime, user_id)
    index = _project_index(doc, project_id)
    rome, geo = runtime.state.codes()
    revision, project, corrections = read_project_write(
        body,
        doc["projects"][index],
        project_id=project_id,
        rome=rome,
        geo=geo,
        today=runtime.clock().date(),
        stored_revision=doc["revision"],
    )
    doc["projects"][index] = project
    view = await commit(runtime, doc, account, revision)
    return view.model_copy(update={"corrections": corrections})


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
