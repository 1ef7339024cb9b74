"""Public routes for the advice and the action plan (served by the advice service)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from services.gateway.deps import CurrentUser, ServicesDep
from services.gateway.problems import PROBLEM_RESPONSES
from shared.contracts.api.advice import (
    ActionPatch,
    ActionView,
    AdviceView,
    DaysOffUpdate,
    OwnActionCreate,
    PlanView,
    View,
)
from shared.contracts.vocabulary import Locale

router = APIRouter(prefix="/v1/me", tags=["advice"], responses=PROBLEM_RESPONSES)
ActionId = Annotated[str, Path(pattern=r"^[ao]_[0-9a-f]{16}$", description="Id of the action.")]
LocaleQuery = Annotated[Locale | None, Query(description="fr (vous), fr@tu (tu) or en; default: the person's.")]


@router.get("/advice", response_model=AdviceView)
async def read_advice(user: CurrentUser, services: ServicesDep, locale: LocaleQuery = None) -> Any:
    """Return the ranked advice (stars and reasons) and the strategies of each project."""
    return await services.advice.read_advice(user.user_id, locale=locale)


@router.get("/plan", response_model=PlanView)
async def read_plan(
    user: CurrentUser,
    services: ServicesDep,
    view: Annotated[View, Query(description="today, tomorrow, week (7 days), done, saved, declined or all.")] = "all",
) -> Any:
    """Return one view of the action plan."""
    return await services.advice.read_plan(user.user_id, view=view)


@router.patch("/plan/actions/{action_id}", response_model=ActionView)
async def update_action(action_id: ActionId, body: ActionPatch, user: CurrentUser, services: ServicesDep) -> Any:
    """Mark an action done, stuck, snoozed, declined or saved; set a deadline; say whether it was useful.

    A status the action cannot move to gets 409 ``invalid_transition``.
    """
    return await services.advice.update_action(user.user_id, action_id, body)


@router.post("/plan/actions", response_model=ActionView, status_code=201)
async def add_action(body: OwnActionCreate, user: CurrentUser, services: ServicesDep) -> Any:
    """Add your own action to the plan (its title stays private)."""
    return await services.advice.add_action(user.user_id, body)


@router.put("/plan/days-off", response_model=PlanView)
async def set_days_off(body: DaysOffUpdate, user: CurrentUser, services: ServicesDep) -> Any:
    """Set the days you will not work on your search; the plan moves around them at once."""
    return await services.advice.set_days_off(user.user_id, body)
