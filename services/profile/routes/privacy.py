"""The rights of access and erasure (internal API)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from services.profile.erasure import erase
from services.profile.privacy import PERSONAL_DATA
from services.profile.profiles import load
from shared.personal_data import export_person
from shared.service import RuntimeDep

router = APIRouter(prefix="/internal", tags=["privacy"])


@router.get("/users/{subject}/export")
async def export(subject: str, runtime: RuntimeDep) -> dict[str, Any]:
    """Return everything the profile service holds about the person."""
    await load(runtime, subject)
    return await export_person(runtime.store, PERSONAL_DATA, subject)


@router.delete("/users/{subject}", status_code=204)
async def erase_user(subject: str, runtime: RuntimeDep) -> Response:
    """Erase the person here and tell every service (``user-erased``)."""
    await load(runtime, subject)
    await erase(runtime, subject, "user-request")
    return Response(status_code=204)
