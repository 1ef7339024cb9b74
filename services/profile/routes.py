"""The profile service's internal HTTP API (called by the gateway only)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, EmailStr, Field

from services.profile.accounts import hash_password, new_user_id, normalize_email, verify_password
from services.profile.completeness import profile_missing_fields, project_missing_fields
from services.profile.edits import apply_project, merge_profile
from services.profile.facts import profile_updated
from services.profile.repository import ACCOUNTS, CONSENTS, PROFILES, save_profile
from services.profile.schemas import (
    FirstName,
    PreferencesInput,
    ProfileInput,
    ProfilePatch,
    ProfileView,
    ProjectView,
    ProjectWrite,
)
from shared.contracts.profile import Preferences
from shared.contracts.vocabulary import ConsentPurpose
from shared.envelope import iso
from shared.problems import ConflictError, NotFoundError
from shared.service import RuntimeDep, ServiceRuntime
from shared.store import DuplicateKeyError

router = APIRouter(prefix="/internal")
CONSENT_VERSION = "2026-11"


class AccountCreate(BaseModel):
    first_name: FirstName
    email: EmailStr | None = None
    password: str | None = Field(None, min_length=10, max_length=200)
    role: Literal["job-seeker", "volunteer", "counsellor"] = "job-seeker"
    locale: Literal["fr", "fr@tu", "en"] = "fr"


class AccountCreated(BaseModel):
    user_id: str
    role: str


class PasswordLogin(BaseModel):
    email: str
    password: str


class Contact(BaseModel):
    user_id: str
    email: str | None
    first_name: str | None
    locale: str
    gender: str
    role: str


def _today(runtime: ServiceRuntime) -> date:
    return runtime.clock().date()


def _view(doc: dict[str, Any], account: dict[str, Any]) -> ProfileView:
    projects = [
        ProjectView(
            **{k: v for k, v in p.items() if k in ProjectView.model_fields}
            | {"missing_fields": project_missing_fields(p)}
        )
        for p in doc.get("projects", [])
    ]
    return ProfileView(
        user_id=doc["_id"],
        revision=doc["revision"],
        first_name=account.get("first_name"),
        is_guest=account.get("is_guest", False),
        registered_at=date.fromisoformat(doc["registered_at"]),
        profile=ProfileInput.model_validate(doc.get("profile", {})),
        projects=projects,
        preferences=PreferencesInput.model_validate(doc.get("preferences", {})),
        missing_fields=profile_missing_fields(doc.get("profile", {}), doc.get("projects", [])),
        consents={ConsentPurpose(k.replace("_", "-")): bool(v) for k, v in doc.get("consents", {}).items()},
    )


async def _load(runtime: ServiceRuntime, user_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    account = await runtime.store.collection(ACCOUNTS).get(user_id)
    doc = await runtime.store.collection(PROFILES).get(user_id)
    if account is None or doc is None:
        raise NotFoundError("profile")
    return doc, account


@router.post("/accounts", response_model=AccountCreated, status_code=201)
async def create_account(body: AccountCreate, runtime: RuntimeDep) -> AccountCreated:
    """Create an account (with email and password, or as a guest with a first name only) and its profile."""
    now = runtime.clock()
    user_id = new_user_id()
    is_guest = body.email is None
    account = {
        "_id": user_id,
        "role": body.role,
        "first_name": body.first_name,
        "email": normalize_email(body.email) if body.email else None,
        "email_verified": False,
        "password_hash": hash_password(body.password) if body.password else None,
        "is_guest": is_guest,
        "created_at": iso(now),
    }
    doc = {
        "_id": user_id,
        "revision": 0,
        "registered_at": now.date().isoformat(),
        "updated_at": iso(now),
        "profile": {},
        "projects": [],
        "preferences": Preferences(locale=body.locale).model_dump(mode="json"),
        "consents": {"coaching": True},
    }
    try:
        async with runtime.unit_of_work() as uow:
            await uow.collection(ACCOUNTS).insert(account)
            await uow.collection(PROFILES).insert(doc)
            await uow.collection(CONSENTS).insert(
                {
                    "_id": f"{user_id}:{iso(now)}:coaching",
                    "user_id": user_id,
                    "purpose": "coaching",
                    "granted": True,
                    "version": CONSENT_VERSION,
                    "at": iso(now),
                }
            )
            uow.publish(profile_updated(doc, is_guest=is_guest))
    except DuplicateKeyError:
        raise ConflictError("email_taken") from None
    return AccountCreated(user_id=user_id, role=body.role)


@router.post("/auth/password", response_model=AccountCreated)
async def login_with_password(body: PasswordLogin, runtime: RuntimeDep) -> AccountCreated:
    """Return the account for a correct email and password; 404 otherwise (the gateway answers generically)."""
    found = await runtime.store.collection(ACCOUNTS).find({"email": normalize_email(body.email)}, limit=1)
    account = found[0] if found else None
    if not verify_password(account["password_hash"] if account else None, body.password) or account is None:
        raise NotFoundError("account")
    return AccountCreated(user_id=account["_id"], role=account["role"])


@router.get("/profiles/{user_id}", response_model=ProfileView)
async def read_profile(user_id: str, runtime: RuntimeDep) -> ProfileView:
    doc, account = await _load(runtime, user_id)
    return _view(doc, account)


async def _commit(runtime: ServiceRuntime, doc: dict[str, Any], account: dict[str, Any], expected: int) -> ProfileView:
    doc["revision"] = expected + 1
    doc["updated_at"] = iso(runtime.clock())
    async with runtime.unit_of_work() as uow:
        if not await save_profile(uow.collection(PROFILES), doc, expected_revision=expected):
            raise ConflictError("stale_revision")
        uow.publish(profile_updated(doc, is_guest=account.get("is_guest", False)))
    return _view(doc, account)


@router.patch("/profiles/{user_id}", response_model=ProfileView)
async def patch_profile(user_id: str, body: ProfilePatch, runtime: RuntimeDep) -> ProfileView:
    """Apply personal and preference changes; 409 when ``revision`` is stale."""
    doc, account = await _load(runtime, user_id)
    if doc["revision"] != body.revision:
        raise ConflictError("stale_revision", current=doc["revision"])
    merged = merge_profile(doc, body.profile, body.preferences, today=_today(runtime))
    return await _commit(runtime, merged, account, body.revision)


@router.post("/profiles/{user_id}/projects", response_model=ProfileView, status_code=201)
async def add_project(user_id: str, body: ProjectWrite, runtime: RuntimeDep) -> ProfileView:
    doc, account = await _load(runtime, user_id)
    if doc["revision"] != body.revision:
        raise ConflictError("stale_revision", current=doc["revision"])
    if len(doc["projects"]) >= 5:
        raise ConflictError("too_many_projects", max=5)
    used = {p["project_id"] for p in doc["projects"]}
    project_id = next(f"p{i}" for i in range(1, 100) if f"p{i}" not in used)
    project = apply_project(
        None,
        body.project,
        project_id=project_id,
        rome=runtime.extras["rome"],
        geo=runtime.extras["geo"],
        today=_today(runtime),
    )
    doc["projects"].append(project)
    return await _commit(runtime, doc, account, body.revision)


@router.patch("/profiles/{user_id}/projects/{project_id}", response_model=ProfileView)
async def patch_project(user_id: str, project_id: str, body: ProjectWrite, runtime: RuntimeDep) -> ProfileView:
    doc, account = await _load(runtime, user_id)
    if doc["revision"] != body.revision:
        raise ConflictError("stale_revision", current=doc["revision"])
    index = next((i for i, p in enumerate(doc["projects"]) if p["project_id"] == project_id), None)
    if index is None:
        raise NotFoundError("project")
    doc["projects"][index] = apply_project(
        doc["projects"][index],
        body.project,
        project_id=project_id,
        rome=runtime.extras["rome"],
        geo=runtime.extras["geo"],
        today=_today(runtime),
    )
    return await _commit(runtime, doc, account, body.revision)


@router.get("/contacts/{user_id}", response_model=Contact)
async def contact(user_id: str, runtime: RuntimeDep) -> Contact:
    """Return how to address a person, read at send time by the notifications service."""
    doc, account = await _load(runtime, user_id)
    return Contact(
        user_id=user_id,
        email=account.get("email"),
        first_name=account.get("first_name"),
        locale=doc.get("preferences", {}).get("locale", "fr"),
        gender=doc.get("profile", {}).get("gender") or "UNKNOWN",
        role=account["role"],
    )
