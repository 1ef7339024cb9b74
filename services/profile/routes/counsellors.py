"""Counsellors: invitations, links, what each may read, and the read-only summary they see (internal API).

The person chooses per counsellor what is shared (``SharedItem``); the summary carries only that, and
the gateway reads the diagnosis and the plan only when they are shared. Once the person ended the
sharing, the counsellor is told so (410 ``sharing_ended``), not that the person does not exist.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.profile.consents import ledger_entry, state_key
from services.profile.counsellors import INVITATIONS, LINKS, link_id
from services.profile.credentials import new_token, token_hash
from services.profile.profiles import commit_in, load
from services.profile.repository import ACCOUNTS, CONSENTS
from shared.contracts.counsellors import (
    NEVER_SHARED_FRUSTRATIONS,
    CounsellorLink,
    PersonSummary,
    SharedItem,
    SharingChoice,
    SharingEnded,
    shared_items,
)
from shared.contracts.vocabulary import ConsentPurpose, Frustration, Gender
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


class InvitationCreate(BaseModel):
    shared: list[SharedItem] | None = Field(None, description="What the counsellor will read; a default when left out.")


async def _active_link(runtime: ServiceRuntime, user_id: str, counsellor_id: str) -> dict[str, Any]:
    link = await runtime.store.collection(LINKS).get(link_id(user_id, counsellor_id))
    if link is None or not link["active"]:
        raise NotFoundError("person")
    return link


def _sharing_ended(link: dict[str, Any]) -> JSONResponse:
    """Return the answer telling a counsellor that the person ended the sharing, and when."""
    ended = SharingEnded(ended_at=link.get("revoked_at") or link["since"])
    return JSONResponse({"code": "sharing_ended", "params": ended.model_dump()}, status_code=410)


def _visible_frustrations(profile: dict[str, Any]) -> list[Frustration]:
    # Codes only: the frustrations the person typed in their own words stay in their profile.
    return [
        Frustration(code)
        for code in profile.get("frustrations") or []
        if code in {known.value for known in Frustration} and code not in NEVER_SHARED_FRUSTRATIONS
    ]


@router.post("/profiles/{user_id}/counsellor-invitations", response_model=Invitation, status_code=201)
async def invite(user_id: str, runtime: RuntimeDep, body: InvitationCreate | None = None) -> Invitation:
    """Create an invitation link the person gives to their counsellor, with what the counsellor will read."""
    await load(runtime, user_id)
    token = new_token()
    expires = runtime.clock() + INVITATION_LIFETIME
    shared = shared_items(body.shared if body is not None else None)
    await runtime.store.collection(INVITATIONS).insert(
        {
            "_id": token_hash(token),
            "user_id": user_id,
            "expires_at": iso(expires),
            "used": False,
            "shared": [item.value for item in shared],
        }
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
    shared = [item.value for item in shared_items(invitation.get("shared"))]
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
                "shared": shared,
            }
        )
        await uow.collection(CONSENTS).insert(
            ledger_entry(user_id, ConsentPurpose.COUNSELLOR_SHARING, True, uow.now, counsellor_id, shared)
        )
        doc["consents"][state_key(ConsentPurpose.COUNSELLOR_SHARING)] = True
        await commit_in(uow, doc, account, doc["revision"])
    return CounsellorLink(
        user_id=user_id,
        counsellor_id=counsellor_id,
        first_name=account.get("first_name"),
        since=iso(now),
        shared=shared_items(shared),
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
                shared=shared_items(link.get("shared")),
            )
        )
    return result


@router.put("/profiles/{user_id}/counsellors/{counsellor_id}/sharing", response_model=CounsellorLink)
async def change_sharing(user_id: str, counsellor_id: str, body: SharingChoice, runtime: RuntimeDep) -> CounsellorLink:
    """Change what a counsellor may read, at once; the choice is recorded in the consent ledger."""
    link = await _active_link(runtime, user_id, counsellor_id)
    shared = [item.value for item in shared_items(body.shared)]
    async with runtime.unit_of_work() as uow:
        await uow.collection(LINKS).update({"_id": link["_id"]}, set={"shared": shared})
        await uow.collection(CONSENTS).insert(
            ledger_entry(user_id, ConsentPurpose.COUNSELLOR_SHARING, True, uow.now, counsellor_id, shared)
        )
    counsellor = await runtime.store.collection(ACCOUNTS).get(counsellor_id)
    return CounsellorLink(
        user_id=user_id,
        counsellor_id=counsellor_id,
        first_name=counsellor.get("first_name") if counsellor else None,
        since=link["since"],
        shared=shared_items(shared),
    )


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
                shared=shared_items(link.get("shared")),
            )
        )
    return result


@router.get(
    "/counsellors/{counsellor_id}/people/{user_id}",
    response_model=PersonSummary,
    responses={410: {"description": "The person ended the sharing (code sharing_ended, params.ended_at)."}},
)
async def person_summary(counsellor_id: str, user_id: str, runtime: RuntimeDep) -> PersonSummary | JSONResponse:
    """Return what a person shares with this counsellor; 410 once they ended the sharing, 404 if they never did."""
    link = await runtime.store.collection(LINKS).get(link_id(user_id, counsellor_id))
    if link is None:
        raise NotFoundError("person")
    if not link["active"]:
        return _sharing_ended(link)
    doc, account = await load(runtime, user_id)
    shared = shared_items(link.get("shared"))
    profile = doc.get("profile") or {}
    gender = profile.get("gender")
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
        # Grammar only: a custom gender (its label stays private) is written with both forms.
        gender=Gender(gender) if gender in (Gender.FEMININE, Gender.MASCULINE) else Gender.UNKNOWN,
        shared=shared,
        frustrations=_visible_frustrations(profile) if SharedItem.FRUSTRATIONS in shared else None,
    )
