"""The partners feed's internal HTTP API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.partners.repository import PERSONAL_DATA
from shared.personal_data import export_person
from shared.service import RuntimeDep

router = APIRouter(prefix="/internal")


@router.get("/users/{subject}/export")
async def export(subject: str, runtime: RuntimeDep) -> dict[str, Any]:
    """Return everything the partners feed holds about the person."""
    return await export_person(runtime.store, PERSONAL_DATA, subject)
