"""Loading and committing a person's profile: every change bumps the revision and publishes ``profile-updated``."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.profile.completeness import profile_missing_fields, project_missing_fields
from services.profile.facts import profile_updated
from services.profile.repository import ACCOUNTS, PROFILES, save_profile
from shared.contracts.api.profile import PreferencesInput, ProfileInput, ProfileView, ProjectView
from shared.contracts.vocabulary import ConsentPurpose
from shared.envelope import iso
from shared.problems import ConflictError, NotFoundError
from shared.service import ServiceRuntime
from shared.unit_of_work import UnitOfWork


def profile_view(doc: dict[str, Any], account: dict[str, Any]) -> ProfileView:
    """Return what the person sees of their profile."""
    projects = [
        ProjectView(
            **{k: v for k, v in p.items() if k in ProjectView.model_fields}, missing_fields=project_missing_fields(p)
        )
        for p in doc.get("projects", [])
    ]
    return ProfileView(
        user_id=doc["_id"],
        revision=doc["revision"],
        first_name=account.get("first_name"),
        email=account.get("email"),
        role=account.get("role", "job-seeker"),
        is_guest=account.get("is_guest", False),
        registered_at=date.fromisoformat(doc["registered_at"]),
        questionnaire_finished_at=doc.get("questionnaire_finished_at"),
        profile=ProfileInput.model_validate(doc.get("profile", {})),
        projects=projects,
        preferences=PreferencesInput.model_validate(doc.get("preferences", {})),
        missing_fields=profile_missing_fields(doc.get("profile", {}), doc.get("projects", [])),
        consents={ConsentPurpose(k.replace("_", "-")): bool(v) for k, v in doc.get("consents", {}).items()},
    )


async def load(runtime: ServiceRuntime, user_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (profile document, account); NotFoundError when the person does not exist."""
    account = await runtime.store.collection(ACCOUNTS).get(user_id)
    doc = await runtime.store.collection(PROFILES).get(user_id)
    if account is None or doc is None:
        raise NotFoundError("profile")
    return doc, account


def check_revision(doc: dict[str, Any], expected: int) -> None:
    """Raise ConflictError when the client's revision is not the stored one."""
    if doc["revision"] != expected:
        raise ConflictError("stale_revision", current=doc["revision"])


async def commit_in(uow: UnitOfWork, doc: dict[str, Any], account: dict[str, Any], expected: int) -> None:
    """Write the changed profile in the unit of work (revision + 1) and publish ``profile-updated``."""
    doc["revision"] = expected + 1
    doc["updated_at"] = iso(uow.now)
    if not await save_profile(uow.collection(PROFILES), doc, expected_revision=expected):
        raise ConflictError("stale_revision")
    uow.publish(profile_updated(doc, is_guest=account.get("is_guest", False)))


async def commit(runtime: ServiceRuntime, doc: dict[str, Any], account: dict[str, Any], expected: int) -> ProfileView:
    """Commit a changed profile and return the new view."""
    async with runtime.unit_of_work() as uow:
        await commit_in(uow, doc, account, expected)
    return profile_view(doc, account)
