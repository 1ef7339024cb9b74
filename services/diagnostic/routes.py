"""The diagnostic service's internal HTTP API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.diagnostic.repository import DIAGNOSES
from shared.service import RuntimeDep

router = APIRouter(prefix="/internal")


@router.get("/diagnoses/{subject}")
async def diagnoses_of(subject: str, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Return the person's current diagnoses, one per project."""
    docs = await runtime.store.collection(DIAGNOSES).find({"subject": subject}, sort=[("_id", 1)])
    return [doc["diagnosis"] | {"fingerprint": doc["fingerprint"]} for doc in docs]
