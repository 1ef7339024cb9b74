"""The rights of access and erasure (internal API)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from services.profile.consents import ledger_entry, state_key
from services.profile.counsellors import LINKS
from services.profile.privacy import PERSONAL_DATA
from services.profile.profiles import commit_in, load
from services.profile.repository import ACCOUNTS, CONSENTS, PROFILES
from shared.contracts.profile import UserErased, UserErasedData
from shared.contracts.vocabulary import ConsentPurpose
from shared.personal_data import erase_person, export_person
from shared.service import RuntimeDep

router = APIRouter(prefix="/internal", tags=["privacy"])


@router.get("/users/{subject}/export")
async def export(subject: str, runtime: RuntimeDep) -> dict[str, Any]:
    """Return everything the profile service holds about the person."""
    await load(runtime, subject)
    return await export_person(runtime.store, PERSONAL_DATA, subject)


@router.delete("/users/{subject}", status_code=204)
async def erase(subject: str, runtime: RuntimeDep) -> Response:
    """Erase the person here and tell every service (``user-erased``)."""
    await load(runtime, subject)
    followed = await runtime.store.collection(LINKS).find({"counsellor_id": subject, "active": True})
    async with runtime.unit_of_work() as uow:
        await erase_person(uow, PERSONAL_DATA, subject)
        # People this counsellor followed: their sharing consent now ends too.
        for link in followed:
            person = await uow.collection(PROFILES).get(link["user_id"])
            account = await uow.collection(ACCOUNTS).get(link["user_id"])
            if person is None or account is None:
                continue
            await uow.collection(CONSENTS).insert(
                ledger_entry(link["user_id"], ConsentPurpose.COUNSELLOR_SHARING, False, uow.now)
            )
            still = await uow.collection(LINKS).count({"user_id": link["user_id"], "active": True})
            person["consents"][state_key(ConsentPurpose.COUNSELLOR_SHARING)] = still > 0
            await commit_in(uow, person, account, person["revision"])
        uow.publish(UserErased(subject=subject, data=UserErasedData(reason="user-request")))
    return Response(status_code=204)
