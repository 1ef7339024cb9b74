"""The plan keeps its word (issue 19): whatever a person does with the pace, pauses and snoozes, and
however many days pass between two visits, the day they read never holds more than the pace allows,
and nothing is due while they pause.

The sequence replays what the service does: each change is applied, the plan reflowed and stored
(services/advice/planning.py), and the plan is read through the same layout as ``GET /v1/me/plan``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.advice.catalogue import catalogue
from services.advice.plan import (
    MOVABLE,
    ActionChange,
    PersonSettings,
    PlanAction,
    apply_change,
    layout,
    merge_plan,
    reflow,
    select,
)
from services.advice.recommend import recommend
from shared.contracts.api.advice import ActionStatus
from shared.contracts.vocabulary import ActionPace
from tests.unit.advice.personas import SUBJECT, TODAY, diagnosis

BUSY = {
    "profile": {"frustrations": ["NO_OFFER_ANSWERS", "INTERVIEW", "MOTIVATION"]},
    "project": {"network_estimate": 1, "total_interview_count": 0},
}
PACES = list(ActionPace)

pace_change = st.tuples(st.just("pace"), st.sampled_from(PACES))
snooze = st.tuples(st.just("snooze"), st.integers(0, 29), st.integers(1, 6))
days_pass = st.tuples(st.just("days"), st.integers(1, 4))
status = st.tuples(st.just("status"), st.integers(0, 29), st.sampled_from([ActionStatus.DONE, ActionStatus.DECLINED]))
announce = st.tuples(st.just("announce"))
steps = st.lists(st.one_of(pace_change, snooze, days_pass, status, announce), min_size=1, max_size=25)


def first_plan(pace: ActionPace) -> list[PlanAction]:
    recommendation = recommend(diagnosis(**BUSY), TODAY, catalogue())  # type: ignore[arg-type]
    now = datetime.combine(TODAY, time(9), tzinfo=UTC)
    actions = merge_plan([], recommendation.proposals, subject=SUBJECT, project_id="p1", now=now)
    return reflow(actions, PersonSettings(pace=pace), TODAY, open_start=True)


def today_pending(actions: list[PlanAction], person: PersonSettings, today: date) -> list[PlanAction]:
    """Return what the person reads as due today, as the plan page computes it."""
    laid_out = layout(actions, person, today)
    return select(laid_out, "today", today, paused=person.pace is ActionPace.PAUSE)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.sampled_from([p for p in PACES if p is not ActionPace.PAUSE]), moves=steps)
def test_today_never_holds_more_than_the_pace_and_nothing_while_paused(
    start: ActionPace, moves: list[tuple[Any, ...]]
) -> None:
    person = PersonSettings(pace=start)
    today = TODAY
    actions = first_plan(start)
    for move in moves:
        kind = move[0]
        if kind == "pace":
            person = replace(person, pace=move[1])
            actions = reflow(actions, person, today)
        elif kind == "days":
            today += timedelta(days=move[1])
        elif kind == "announce":
            # The scheduler announces what is due today (action-due), which must not pin it there.
            actions = [replace(a, emitted_on=today) if a.due_on == today else a for a in actions]
        else:
            index = move[1] % len(actions)
            action = actions[index]
            if kind == "snooze":
                if action.status not in MOVABLE:
                    continue
                change = ActionChange(status=ActionStatus.SNOOZED, snoozed_until=today + timedelta(days=move[2]))
            else:
                if move[2] not in {*ActionStatus} or action.status in (ActionStatus.DONE, ActionStatus.DECLINED):
                    continue
                change = ActionChange(status=move[2])
            updated = apply_change(action, change, today=today, now=datetime.combine(today, time(10), tzinfo=UTC))
            actions = reflow([updated if a is action else a for a in actions], person, today)

        pending = today_pending(actions, person, today)
        if person.pace is ActionPace.PAUSE:
            assert pending == [], "nothing is due while paused"
        else:
            open_today = [a for a in pending if a.status is not ActionStatus.DONE]
            assert len(open_today) <= person.pace.daily_cap, (person.pace, [a.due_on for a in pending])
            # In the plan's order: the main challenge's strategy, then the advice ranking.
            assert [a.priority for a in pending] == sorted(a.priority for a in pending)


def test_the_reported_sequence_leaves_at_most_two_actions_today() -> None:
    """1–2, then 3–4, then 1–2 again: today holds two actions, not three (the report)."""
    person = PersonSettings(pace=ActionPace.ONE_TO_TWO)
    actions = first_plan(ActionPace.ONE_TO_TWO)
    actions = [replace(a, emitted_on=TODAY) if a.due_on == TODAY else a for a in actions]
    for pace in (ActionPace.THREE_TO_FOUR, ActionPace.ONE_TO_TWO):
        person = replace(person, pace=pace)
        actions = reflow(actions, person, TODAY)
        actions = [replace(a, emitted_on=TODAY) if a.due_on == TODAY else a for a in actions]
    assert len(today_pending(actions, person, TODAY)) == 2
    paused = replace(person, pace=ActionPace.PAUSE)
    assert today_pending(reflow(actions, paused, TODAY), paused, TODAY) == []


def test_a_visit_after_days_away_finds_a_day_at_the_pace() -> None:
    person = PersonSettings(pace=ActionPace.ONE_TO_TWO)
    actions = first_plan(ActionPace.ONE_TO_TWO)
    announced = [
        replace(a, emitted_on=a.due_on) if a.due_on and a.due_on < TODAY + timedelta(days=5) else a for a in actions
    ]
    later = TODAY + timedelta(days=5)
    assert len(today_pending(announced, person, later)) <= 2
