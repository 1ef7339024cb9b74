"""The action plan: actions proposed from the strategies, their statuses, and their days (pure).

* Proposals come from the top strategies' advice and from any advice with two
  stars or more; each action template becomes one action whose id is derived
  from (person, project, template), so replaying events plans the same actions.
  Their order follows the main challenge, then the advice ranking: the
  principal strategy's actions first (it serves the main challenge), in the
  order of its advice, then the next strategy's, then the other advice's.
* A new diagnosis keeps what the person did with an action (status, deadline,
  usefulness) and drops only the proposals they never touched.
* Days follow the pace (``pace.place``), and the pace is a promise: no day holds
  more than ``ActionPace.daily_cap`` actions, and none is due while paused.
  The actions the plan may move (untouched proposals, and snoozed ones) are
  reflowed whenever the plan, the pace, the working days or a status change,
  and the plan is laid out again for the day it is read (``layout``), so that
  proposals left on past days roll forward. A snooze says "not before that
  day": the action comes back first on that day or the first one with room.
  Actions the person dated themselves (a deadline, their own action) keep
  their day and count in it. An action moved to a new day is announced again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from operator import itemgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.advice.advise import Advice
from services.advice.catalogue import DURATION_MINUTES, Catalogue
from services.advice.pace import Calendar, DayLoad, Slot, daily_due_cap, place
from services.advice.strategize import ScoredStrategy
from shared.contracts.api.advice import ActionStatus, View
from shared.contracts.vocabulary import ActionPace, Gender, HelpKind
from shared.problems import ConflictError, FieldProblem, InvalidInputError

STRATEGIES_IN_PLAN = 3
MAX_PLAN_ACTIONS = 30
OWN_ACTION_PRIORITY = -1
VIEWS: tuple[View, ...] = ("today", "tomorrow", "week", "done", "saved", "declined", "all")


OPEN = frozenset({ActionStatus.UNREAD, ActionStatus.CURRENT, ActionStatus.STUCK, ActionStatus.SNOOZED})
# The plan chooses the days of these (a snoozed action: from the day the person asked for).
MOVABLE = frozenset({ActionStatus.UNREAD, ActionStatus.SNOOZED})
# The statuses each status may go to (a status may always be set again: changes are idempotent).
TRANSITIONS: dict[ActionStatus, frozenset[ActionStatus]] = {
    ActionStatus.UNREAD: frozenset(ActionStatus) - {ActionStatus.UNREAD, ActionStatus.STUCK},
    ActionStatus.CURRENT: frozenset(ActionStatus) - {ActionStatus.UNREAD, ActionStatus.CURRENT},
    ActionStatus.STUCK: frozenset(ActionStatus) - {ActionStatus.UNREAD, ActionStatus.STUCK},
    ActionStatus.SNOOZED: frozenset(ActionStatus) - {ActionStatus.UNREAD, ActionStatus.STUCK},
    ActionStatus.SAVED: frozenset(ActionStatus) - {ActionStatus.STUCK, ActionStatus.SAVED},
    ActionStatus.DECLINED: frozenset({ActionStatus.UNREAD, ActionStatus.SAVED}),
    ActionStatus.DONE: frozenset({ActionStatus.CURRENT}),
}


@dataclass(frozen=True, slots=True)
class PlanAction:
    """One action of a person's plan."""

    action_id: str
    project_id: str
    template_id: str | None  # None for the person's own actions
    advice_id: str | None
    strategy_id: str | None
    minutes: int
    needs_help: HelpKind | None
    priority: int  # lower comes first
    status: ActionStatus = ActionStatus.UNREAD
    due_on: date | None = None
    pinned: bool = False  # the person chose the day (deadline, snooze): reflow leaves it
    emitted_on: date | None = None  # the due day for which action-due was published
    deadline: date | None = None
    snoozed_until: date | None = None
    was_useful: bool | None = None
    own_title: str | None = None  # typed by the person: shown to them, never published
    created_at: datetime | None = None
    updated_at: datetime | None = None
    done_at: datetime | None = None

    @property
    def is_own(self) -> bool:
        """Return True for an action the person added."""
        return self.template_id is None

    def movable(self, today: date) -> bool:
        """Return True when reflow chooses this action's day: an untouched proposal, or a snoozed action."""
        return self.status in MOVABLE and not self.pinned

    def awaits_reminder(self) -> bool:
        """Return True when action-due is still to be published for its day."""
        return self.status in OPEN and self.due_on is not None and self.emitted_on != self.due_on


@dataclass(frozen=True, slots=True)
class PersonSettings:
    """What the plan needs to know about the person (from profile-updated, and their days off)."""

    pace: ActionPace = ActionPace.ONE_TO_TWO
    calendar: Calendar = field(default_factory=Calendar)
    time_zone: str = "Europe/Paris"
    locale: str = "fr"
    gender: Gender = Gender.UNKNOWN
    coaching: bool = True


def action_id(subject: str, project_id: str, template_id: str) -> str:
    """Return a stable id, so replaying events plans the same actions."""
    return "a_" + hashlib.sha256(f"{subject}:{project_id}:{template_id}".encode()).hexdigest()[:16]


@cache
def zone(time_zone: str) -> ZoneInfo:
    """Return the time zone, Paris when the name is unknown."""
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Paris")


def local_today(now: datetime, time_zone: str) -> date:
    """Return the person's date at this instant."""
    return now.astimezone(zone(time_zone)).date()


def due_at(day: date, time_zone: str) -> datetime:
    """Return when an action planned on a day becomes due: the start of that day where the person lives."""
    return datetime.combine(day, time(0), tzinfo=zone(time_zone)).astimezone(UTC)


# --- proposals -----------------------------------------------------------------------------------


class Proposal(NamedTuple):
    template_id: str
    advice_id: str
    strategy_id: str | None
    minutes: int
    needs_help: HelpKind | None


_PROPOSAL_ORDER = itemgetter(0, 1, 2)


def propose_actions(advice: Advice, strategies: Sequence[ScoredStrategy], catalogue: Catalogue) -> list[Proposal]:
    """Return the actions to plan, in the order the person should take them.

    The principal strategy (the one that serves the main challenge) first, then
    the next ones; within a strategy, its advice in ranking order; the two-star
    advice outside the top strategies last. A volunteer's help is asked for only
    when the person chooses to, so an action that needs one takes its turn.
    """
    position = {a.advice_id: index for index, a in enumerate(advice.ranked)}
    chosen: dict[str, tuple[int, str | None]] = {}
    for rank, strategy in enumerate(strategies[:STRATEGIES_IN_PLAN]):
        for advice_id in strategy.advice_ids:
            if advice_id not in chosen:
                chosen[advice_id] = (rank, strategy.strategy_id)
    for extra in advice.ranked:  # a two-star advice outside the top strategies is planned too
        if extra.stars >= 2 and extra.advice_id not in chosen:
            chosen[extra.advice_id] = (STRATEGIES_IN_PLAN, None)
    by_advice = catalogue.actions_by_advice
    keyed = []
    for advice_id, (rank, strategy_id) in chosen.items():
        index = position[advice_id]
        for order, template in enumerate(by_advice.get(advice_id, ())):
            keyed.append((rank, index, order, template, advice_id, strategy_id))
    keyed.sort(key=_PROPOSAL_ORDER)
    return [
        Proposal(template.id, advice_id, strategy_id, template.minutes, template.needs_help)
        for _, _, _, template, advice_id, strategy_id in keyed[:MAX_PLAN_ACTIONS]
    ]


def merge_plan(
    existing: Sequence[PlanAction],
    proposals: Sequence[Proposal],
    *,
    subject: str,
    project_id: str,
    now: datetime,
) -> list[PlanAction]:
    """Return the project's actions after a new diagnosis: kept, updated, added; untouched stale ones dropped."""
    by_id = {a.action_id: a for a in existing if a.project_id == project_id}
    merged: list[PlanAction] = []
    proposed: set[str] = set()
    for priority, proposal in enumerate(proposals):
        new_id = action_id(subject, project_id, proposal.template_id)
        proposed.add(new_id)
        current = by_id.get(new_id)
        if current is None:
            merged.append(
                PlanAction(
                    action_id=new_id,
                    project_id=project_id,
                    template_id=proposal.template_id,
                    advice_id=proposal.advice_id,
                    strategy_id=proposal.strategy_id,
                    minutes=proposal.minutes,
                    needs_help=proposal.needs_help,
                    priority=priority,
                    created_at=now,
                    updated_at=now,
                )
            )
        else:
            merged.append(
                replace(
                    current,
                    priority=priority,
                    strategy_id=proposal.strategy_id,
                    advice_id=proposal.advice_id,
                    minutes=proposal.minutes,
                    needs_help=proposal.needs_help,
                )
            )
    for action in by_id.values():
        untouched = action.status is ActionStatus.UNREAD and not action.pinned and not action.is_own
        if action.action_id not in proposed and not untouched:
            merged.append(action)
    return merged


# --- days ----------------------------------------------------------------------------------------


def _queue_order(today: date) -> Callable[[PlanAction], tuple[int, int, str]]:
    def order(action: PlanAction) -> tuple[int, int, str]:
        # Already announced for today: it keeps its place today (no churn in a day's list). Then the
        # snoozed actions, on the day they asked for. Then the plan's order.
        if action.emitted_on == today and action.due_on == today:
            return (0, action.priority, action.action_id)
        return (1 if action.status is ActionStatus.SNOOZED else 2, action.priority, action.action_id)

    return order


def reflow(
    actions: Sequence[PlanAction], settings: PersonSettings, today: date, *, open_start: bool = False
) -> list[PlanAction]:
    """Return the actions with new days for the movable ones, at the person's pace (none while paused).

    What the person dated themselves keeps its day and fills it first; an overdue one fills today.
    """
    movable = sorted((a for a in actions if a.movable(today)), key=_queue_order(today))
    booked: dict[date, DayLoad] = {}
    for action in actions:
        if action.movable(today) or action.due_on is None:
            continue
        if action.status in OPEN or (action.status is ActionStatus.DONE and action.due_on >= today):
            load = booked.setdefault(max(action.due_on, today) if action.status in OPEN else action.due_on, DayLoad())
            load.actions += 1
            load.minutes += action.minutes
            load.helps += action.needs_help is not None
    days = place(
        [Slot(a.action_id, a.minutes, a.needs_help is not None, a.snoozed_until) for a in movable],
        pace=settings.pace,
        calendar=settings.calendar,
        start=today,
        booked=booked,
        open_start=open_start,
    )
    return [replace(a, due_on=days.get(a.action_id)) if a.movable(today) else a for a in actions]


def layout(actions: Sequence[PlanAction], settings: PersonSettings, today: date) -> list[PlanAction]:
    """Return the plan as it stands on ``today``: reflowed, so a day read later still keeps the pace."""
    return reflow(actions, settings, today)


def changed(before: Iterable[PlanAction], after: Iterable[PlanAction]) -> list[PlanAction]:
    """Return the actions of ``after`` that differ from ``before`` (new ones included)."""
    previous = {a.action_id: a for a in before}
    return [a for a in after if previous.get(a.action_id) != a]


# --- the person's changes ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionChange:
    status: ActionStatus | None = None
    snoozed_until: date | None = None
    deadline: date | None = None
    clear_deadline: bool = False
    was_useful: bool | None = None


def apply_change(action: PlanAction, change: ActionChange, *, today: date, now: datetime) -> PlanAction:
    """Return the action after the person's change; raise ConflictError or InvalidInputError when refused."""
    if change.status is None and change.deadline is None and not change.clear_deadline and change.was_useful is None:
        raise InvalidInputError([FieldProblem(field="body", code="empty_change")])
    updated = action
    if change.status is not None and change.status is not action.status:
        allowed = TRANSITIONS[action.status]
        if change.status not in allowed:
            raise ConflictError(
                "invalid_transition",
                current=action.status.value,
                requested=change.status.value,
                allowed=sorted(s.value for s in allowed),
            )
    if change.status is ActionStatus.SNOOZED:
        if change.snoozed_until is None:
            raise InvalidInputError([FieldProblem(field="snoozed_until", code="required")])
        if change.snoozed_until <= today:
            raise InvalidInputError(
                [FieldProblem(field="snoozed_until", code="must_be_after_today", params={"today": today.isoformat()})]
            )
        # "Not before that day": the plan gives it the first day from then on with room, first of that day.
        updated = replace(
            updated,
            status=ActionStatus.SNOOZED,
            snoozed_until=change.snoozed_until,
            due_on=change.snoozed_until,
            pinned=False,
        )
    elif change.snoozed_until is not None:
        raise InvalidInputError([FieldProblem(field="snoozed_until", code="only_with_status_snoozed")])
    elif change.status is not None and change.status is not action.status:
        updated = _with_status(updated, change.status, now, today)
    if change.deadline is not None or change.clear_deadline:
        updated = _with_deadline(updated, change.deadline, today)
    if change.was_useful is not None:
        if updated.status is not ActionStatus.DONE:
            raise ConflictError("was_useful_needs_done", current=updated.status.value)
        updated = replace(updated, was_useful=change.was_useful)
    return replace(updated, updated_at=now) if updated != action else action


def _with_status(action: PlanAction, status: ActionStatus, now: datetime, today: date) -> PlanAction:
    if status is ActionStatus.DONE:
        return replace(action, status=status, done_at=now)
    if status in (ActionStatus.SAVED, ActionStatus.DECLINED):
        # Out of the days: the plan gives the freed room to the next action.
        return replace(action, status=status, due_on=None, pinned=False, snoozed_until=None, done_at=None)
    if status is ActionStatus.UNREAD:
        return replace(action, status=status, pinned=action.deadline is not None, snoozed_until=None, done_at=None)
    if action.due_on is None:  # back from saved/declined: it needs a day, today
        return replace(action, status=status, due_on=today, pinned=True, snoozed_until=None, done_at=None)
    return replace(action, status=status, snoozed_until=None, done_at=None)


def _with_deadline(action: PlanAction, deadline: date | None, today: date) -> PlanAction:
    if action.status in (ActionStatus.DONE, ActionStatus.DECLINED):
        raise ConflictError("action_closed", current=action.status.value)
    if deadline is None:
        return replace(action, deadline=None, pinned=False)
    if deadline < today:
        raise InvalidInputError(
            [FieldProblem(field="deadline", code="must_not_be_in_the_past", params={"today": today.isoformat()})]
        )
    # Choosing a day for an action means taking it on.
    status = ActionStatus.CURRENT if action.status in (ActionStatus.UNREAD, ActionStatus.SAVED) else action.status
    return replace(action, status=status, deadline=deadline, due_on=deadline, pinned=True)


def own_action(*, new_id: str, project_id: str, title: str, duration: str, due_on: date, now: datetime) -> PlanAction:
    """Return an action the person adds to their plan (they are on it: status current)."""
    return PlanAction(
        action_id=new_id,
        project_id=project_id,
        template_id=None,
        advice_id=None,
        strategy_id=None,
        minutes=DURATION_MINUTES[duration],
        needs_help=None,
        priority=OWN_ACTION_PRIORITY,
        status=ActionStatus.CURRENT,
        due_on=due_on,
        pinned=True,
        deadline=due_on,
        own_title=title,
        created_at=now,
        updated_at=now,
    )


# --- views ---------------------------------------------------------------------------------------


def in_view(action: PlanAction, view: View, today: date, *, paused: bool = False) -> bool:
    """Return True when the action shows in the view (today counts overdue open actions; while paused,
    nothing is due: the days' views are empty, and every action stays in "all")."""
    day = action.due_on
    if view == "all":
        return True
    if view == "done":
        return action.status is ActionStatus.DONE
    if view == "saved":
        return action.status is ActionStatus.SAVED
    if view == "declined":
        return action.status is ActionStatus.DECLINED
    if day is None or paused or action.status in (ActionStatus.SAVED, ActionStatus.DECLINED):
        return False
    if view == "today":
        return day == today or (day < today and action.status in OPEN)
    if view == "tomorrow":
        return day == today + timedelta(days=1)
    return day <= today + timedelta(days=6) and (day >= today or action.status in OPEN)


def select(actions: Sequence[PlanAction], view: View, today: date, *, paused: bool = False) -> list[PlanAction]:
    """Return the actions of a view, in the order the person should see them."""
    chosen = [a for a in actions if in_view(a, view, today, paused=paused)]
    if view == "done":
        chosen.sort(key=lambda a: a.done_at or datetime.min.replace(tzinfo=UTC), reverse=True)
    else:
        chosen.sort(key=lambda a: (a.due_on or date.max, a.priority, a.action_id))
    return chosen


def counts(actions: Sequence[PlanAction], today: date, *, paused: bool = False) -> Mapping[str, int]:
    """Return how many actions each view holds."""
    return {view: sum(1 for a in actions if in_view(a, view, today, paused=paused)) for view in VIEWS}


def reminder_cap(settings: PersonSettings) -> int:
    """Return how many action-due a person may receive in a day."""
    return daily_due_cap(settings.pace)
