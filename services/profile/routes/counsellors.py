"""Counsellors: invitations, links and the read-only summary they may see (internal API)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from services.profile.consents import ledger_entry, state_key
from services.profile.counsellors import INVITATIONS, LINKS, link_id
from services.profile.credentials import new_token, token_hash
from services.profile.profiles import commit_in, load
from services.profile.repository import ACCOUNTS, CONSENTS
from shared.contracts.vocabulary import ConsentPurpose
from shared.envelope import iso
from shared.problems import ConflictError, NotFoundError
from shared.service import RuntimeDep, ServiceRuntime

router = APIRouter(prefix="/internal", tags=["counsellors"])
INVITATION_LIFETIME = timedelta(days=14)


class Invitation(BaseModel):
    token: str = Field(description="Secret part of the invitation link, shown once.")
    expires_at: str


class InvitationAccept(BaseModel):
    token: str = Field(max_length=200)


class CounsellorLink(BaseModel):
    user_id: str
    counsellor_id: str
    first_name: str | None = Field(None, description="The other side's first name.")
    since: str


class PersonSummary(BaseModel):
    """What a consenting person lets a counsellor read."""

    user_id: str
    first_name: str | None
    registered_at: str
    projects: list[dict[str, Any]]
    action_pace: str | None
    missing_fields: list[str]


async def _active_link(runtime: ServiceRuntime, user_id: str, counsellor_id: str) -> dict[str, Any]:
    link = await runtime.store.collection(LINKS).get(link_id(user_id, counsellor_id))
    if link is None or not link["active"]:
        raise NotFoundError("person")
    return link


@router.post("/profiles/{user_id}/counsellor-invitations", response_model=Invitation, status_code=201)
async def invite(user_id: str, runtime: RuntimeDep) -> Invitation:
    """Create an invitation link the person gives to their counsellor."""
    await load(runtime, user_id)
    token = new_token()
    expires = runtime.clock() + INVITATION_LIFETIME
    await runtime.store.collection(INVITATIONS).insert(
        {"_id": token_hash(token), "user_id": user_id, "expires_at": iso(expires), "used": False}
    )
    return Invitation(token=token, expires_at=iso(expires))


@router.post("/counsellors/{counsellor_id}/invitations/accept", response_model=CounsellorLink)
async def accept(counsellor_id: str, body: InvitationAccept, runtime: RuntimeDep) -> CounsellorLink:
    """Link a counsellor to the person who invited them; the person's consent is recorded in the ledger."""
    counsellor = await runtime.store.collection(ACCOUNTS).get(counsellor_id)
    if counsellor is None or counsellor["role"] != "counsellor":
        raise ConflictError("not_a_counsellor")
    invitations = runtime.store.collection(INVITATIONS)
    invitation = await invitations.get(token_hash(body.token))
    now = runtime.clock()
    if invitation is None or invitation["used"] or invitation["expires_at"] <= iso(now):
        raise NotFoundError("invitation")
    user_id = invitation["user_id"]
    if user_id == counsellor_id:
        raise ConflictError("cannot_follow_yourself")
    doc, account = await load(runtime, user_id)
    async with runtime.unit_of_work() as uow:
        if not await uow.collection(INVITATIONS).update({"_id": invitation["_id"], "used": False}, set={"used": True}):
            raise NotFoundError("invitation")
        await uow.collection(LINKS).put(
            {
                "_id": link_id(user_id, counsellor_id),
                "user_id": user_id,
                "counsellor_id": counsellor_id,
                "active": True,
                "since": iso(uow.now),
            }
        )
        await uow.collection(CONSENTS).insert(
            ledger_entry(user_id, ConsentPurpose.COUNSELLOR_SHARING, True, uow.now, counsellor_id)
        )
        doc["consents"][state_key(ConsentPurpose.COUNSELLOR_SHARING)] = True
        await commit_in(uow, doc, account, doc["revision"])
    return CounsellorLink(
        user_id=user_id, counsellor_id=counsellor_id, first_name=account.get("first_name"), since=iso(now)
    )


@router.get("/profiles/{user_id}/counsellors", response_model=list[CounsellorLink])
async def counsellors_of(user_id: str, runtime: RuntimeDep) -> list[CounsellorLink]:
    """Return the counsellors who may currently read the person's summary."""
    links = await runtime.store.collection(LINKS).find({"user_id": user_id, "active": True})
    result = []
    for link in links:
        counsellor = await runtime.store.collection(ACCOUNTS).get(link["counsellor_id"])
        result.append(
            CounsellorLink(
                user_id=user_id,
                counsellor_id=link["counsellor_id"],
                first_name=counsellor.get("first_name") if counsellor else None,
                since=link["since"],
            )
        )
    return result


@router.delete("/profiles/{user_id}/counsellors/{counsellor_id}", status_code=204)
async def revoke(user_id: str, counsellor_id: str, runtime: RuntimeDep) -> Response:
    """Stop sharing with a counsellor, at once."""
    await _active_link(runtime, user_id, counsellor_id)
    doc, account = await load(runtime, user_id)
    async with runtime.unit_of_work() as uow:
        await uow.collection(LINKS).update(
            {"_id": link_id(user_id, counsellor_id)}, set={"active": False, "revoked_at": iso(uow.now)}
        )
        await uow.collection(CONSENTS).insert(
            ledger_entry(user_id, ConsentPurpose.COUNSELLOR_SHARING, False, uow.now, counsellor_id)
        )
        still_shared = await uow.collection(LINKS).count({"user_id": user_id, "active": True})
        doc["consents"][state_key(ConsentPurpose.COUNSELLOR_SHARING)] = still_shared > 0
        await commit_in(uow, doc, account, doc["revision"])
    return Response(status_code=204)


@router.get("/counsellors/{counsellor_id}/people", response_model=list[CounsellorLink])
async def people_of(counsellor_id: str, runtime: RuntimeDep) -> list[CounsellorLink]:
    """Return the people who currently share their summary with the counsellor."""
    links = await runtime.store.collection(LINKS).find({"counsellor_id": counsellor_id, "active": True})
    result = []
    for link in links:
        person = await runtime.store.collection(ACCOUNTS).get(link["user_id"])
        result.append(
            CounsellorLink(
                user_id=link["user_id"],
                counsellor_id=counsellor_id,
                first_name=person.get("first_name") if person else None,
                since=link["since"],
            )
        )
    return result


@router.get("/counsellors/{counsellor_id}/people/{user_id}", response_model=PersonSummary)
async def person_summary(counsellor_id: str, user_id: str, runtime: RuntimeDep) -> PersonSummary:
    """Return the read-only summary of a person who shares it with this counsellor; 404 otherwise."""
    await _active_link(runtime, user_id, counsellor_id)
    doc, account = await load(runtime, user_id)
    return PersonSummary(
        user_id=user_id,
        first_name=account.get("first_name"),
        registered_at=doc["registered_at"],
        projects=[
            {
                k: p.get(k)
                for k in (
                    "project_id",
                    "job_title",
                    "rome_code",
                    "city_name",
                    "departement",
                    "kind",
                    "job_search_started_at",
                    "job_search_has_not_started",
                )
            }
            for p in doc.get("projects", [])
        ],
        action_pace=doc.get("preferences", {}).get("action_pace"),
        missing_fields=[],
    )
