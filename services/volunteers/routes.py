"""The volunteers service's internal HTTP API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.volunteers.repository import REQUESTS
from shared.service import RuntimeDep

router = APIRouter(prefix="/internal")


@router.get("/requests/{subject}")
async def requests_of(subject: str, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Return the person's help requests."""
    return await runtime.store.collection(REQUESTS).find({"subject": subject}, sort=[("created_at", 1)])
