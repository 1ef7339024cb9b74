"""Consents: grant or withdraw a purpose in one call; the change reaches every service through profile-updated."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.profile.consents import ledger_entry, refused_change, state_key
from services.profile.counsellors import revoke_all_links
from services.profile.profiles import commit_in, load
from services.profile.repository import CONSENTS
from shared.contracts.api.profile import ConsentChange, ConsentEntry, Consents
from shared.contracts.vocabulary import ConsentPurpose
from shared.problems import ConflictError
from shared.service import RuntimeDep

router = APIRouter(prefix="/internal", tags=["consents"])


async def consents_of(runtime: Any, user_id: str) -> Consents:
    doc, _ = await load(runtime, user_id)
    history = await runtime.store.collection(CONSENTS).find({"user_id": user_id}, sort=[("at", 1)])
    current = {p: bool(doc["consents"].get(state_key(p), False)) for p in ConsentPurpose}
    return Consents(current=current, history=[ConsentEntry(**h) for h in history])


@router.get("/profiles/{user_id}/consents", response_model=Consents)
async def read_consents(user_id: str, runtime: RuntimeDep) -> Consents:
    """Return the current consents and every past grant and withdrawal."""
    return await consents_of(runtime, user_id)


@router.put("/profiles/{user_id}/consents/{purpose}", response_model=Consents)
async def set_consent(user_id: str, purpose: ConsentPurpose, body: ConsentChange, runtime: RuntimeDep) -> Consents:
    """Grant or withdraw a purpose; 409 for coaching withdrawal (delete the account) and counsellor grants (invite)."""
    refusal = refused_change(purpose, body.granted)
    if refusal is not None:
        raise ConflictError(refusal)
    doc, account = await load(runtime, user_id)
    async with runtime.unit_of_work() as uow:
        await uow.collection(CONSENTS).insert(ledger_entry(user_id, purpose, body.granted, uow.now))
        if purpose is ConsentPurpose.COUNSELLOR_SHARING:
            await revoke_all_links(uow, user_id)
        doc["consents"][state_key(purpose)] = body.granted
        await commit_in(uow, doc, account, doc["revision"])
    return await consents_of(runtime, user_id)
