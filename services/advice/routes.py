"""The advice service's internal HTTP API (called by the gateway): thin adapters around ``planning``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.advice import repository as repo
from services.advice.plan import ActionChange, local_today
from services.advice.planning import (
    action_view,
    add_own_action,
    advice_view,
    change_action,
    plan_view,
    set_days_off,
)
from services.advice.render import Wording
from services.advice.state import AdviceRuntime
from shared.contracts.api.advice import (
    ActionPatch,
    ActionView,
    AdviceView,
    DaysOffUpdate,
    OwnActionCreate,
    PlanView,
    UserExport,
    View,
)
from shared.contracts.vocabulary import Locale
from shared.envelope import SUBJECT_PATTERN
from shared.service import RuntimeDep

router = APIRouter(prefix="/internal", tags=["advice"])
Subject = Annotated[str, Path(pattern=SUBJECT_PATTERN, description="Pseudonymous id of the person.")]
ActionId = Annotated[str, Path(pattern=r"^[ao]_[0-9a-f]{16}$", description="Id of the action.")]


def wording(runtime: AdviceRuntime) -> Wording:
    """Return the service's catalogue and labels (loaded at start-up)."""
    return runtime.state.loaded_wording()


@router.get("/advice/{subject}", response_model=AdviceView)
async def read_advice(subject: Subject, runtime: RuntimeDep, locale: Locale | None = None) -> AdviceView:
    """Return the person's ranked advice with stars and reasons, and their strategies, per project."""
    person = await repo.load_person(runtime.store, subject)
    plans = await repo.load_plans(runtime.store, subject)
    return advice_view(subject, person, plans, wording(runtime), locale.value if locale else None)


@router.get("/plans/{subject}", response_model=PlanView)
async def read_plan(
    subject: Subject,
    runtime: RuntimeDep,
    view: Annotated[View, Query(description="today, tomorrow, week (7 days), done, saved, declined or all.")] = "all",
) -> PlanView:
    """Return one view of the person's action plan."""
    person = await repo.load_person(runtime.store, subject)
    actions = await repo.load_actions(runtime.store, subject)
    today = local_today(runtime.clock(), person.settings.time_zone if person else "Europe/Paris")
    return plan_view(subject, person, actions, view, today, wording(runtime))


@router.patch("/plans/{subject}/actions/{action_id}", response_model=ActionView)
async def update_action(subject: Subject, action_id: ActionId, body: ActionPatch, runtime: RuntimeDep) -> ActionView:
    """Return the action after a change of status, a snooze, a deadline set or removed, or "was it useful".

    A status the action cannot move to gets 409 ``invalid_transition``; bad input gets 422 naming the field.
    """
    change = ActionChange(
        status=body.status,
        snoozed_until=body.snoozed_until,
        deadline=body.deadline,
        clear_deadline="deadline" in body.model_fields_set and body.deadline is None,
        was_useful=body.was_useful,
    )
    async with runtime.unit_of_work() as uow:
        person, action, today = await change_action(uow, subject, action_id, change, wording(runtime))
    renderer = wording(runtime).renderer(person.settings.locale, person.settings.gender)
    return action_view(action, renderer, today)


@router.post("/plans/{subject}/actions", response_model=ActionView, status_code=201)
async def add_action(subject: Subject, body: OwnActionCreate, runtime: RuntimeDep) -> ActionView:
    """Return the person's own action, added to their plan."""
    async with runtime.unit_of_work() as uow:
        person, action, today = await add_own_action(uow, subject, body, wording(runtime))
    renderer = wording(runtime).renderer(person.settings.locale, person.settings.gender)
    return action_view(action, renderer, today)


@router.put("/plans/{subject}/days-off", response_model=PlanView)
async def update_days_off(subject: Subject, body: DaysOffUpdate, runtime: RuntimeDep) -> PlanView:
    """Return the week of the plan after the person set the days they will not work on their search.

    The pace and the working days come from the profile (``profile-updated``), which owns them.
    """
    async with runtime.unit_of_work() as uow:
        person = await set_days_off(uow, subject, body.days_off, wording(runtime))
    actions = await repo.load_actions(runtime.store, subject)
    today = local_today(runtime.clock(), person.settings.time_zone)
    return plan_view(subject, person, actions, "week", today, wording(runtime))


@router.get("/users/{subject}/export", response_model=UserExport)
async def export_user(subject: Subject, runtime: RuntimeDep) -> UserExport:
    """Return everything the advice service holds about the person."""
    held = await repo.export(runtime.store, subject)
    return UserExport(subject=subject, exported_at=runtime.clock(), **held)
