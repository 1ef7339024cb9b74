"""The advice service's internal HTTP API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.advice.repository import ACTIONS, PLANS
from shared.service import RuntimeDep

router = APIRouter(prefix="/internal")


@router.get("/plans/{subject}")
async def plan_of(subject: str, runtime: RuntimeDep) -> dict[str, Any]:
    """Return the person's plans and actions."""
    plans = await runtime.store.collection(PLANS).find({"subject": subject}, sort=[("_id", 1)])
    actions = await runtime.store.collection(ACTIONS).find({"subject": subject}, sort=[("due_on", 1)])
    return {"plans": plans, "actions": actions}
