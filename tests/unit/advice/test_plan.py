"""The plan: proposals, replanning, statuses and their transitions, views, and the pace (fixed clock)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from services.advice.catalogue import catalogue
from services.advice.plan import (
    TRANSITIONS,
    ActionChange,
    PersonSettings,
    PlanAction,
    action_id,
    apply_change,
    counts,
    due_at,
    local_today,
    merge_plan,
    own_action,
    reflow,
    select,
)
from services.advice.recommend import recommend
from shared.contracts.api.advice import ActionStatus
from shared.contracts.vocabulary import ActionPace
from shared.problems import ConflictError, InvalidInputError
from tests.unit.advice.personas import SUBJECT, TODAY, diagnosis

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # Monday 10:30 in Paris
TOMORROW = TODAY + timedelta(days=1)
BUSY = {
    "profile": {"frustrations": ["NO_OFFER_ANSWERS", "INTERVIEW", "MOTIVATION"]},
    "project": {"network_estimate": 1, "total_interview_count": 0},
}


def planned(pace: ActionPace = ActionPace.ONE_TO_TWO, **changes: object) -> list[PlanAction]:
    recommendation = recommend(diagnosis(**{**BUSY, **changes}), TODAY, catalogue())  # type: ignore[arg-type]
    actions = merge_plan([], recommendation.proposals, subject=SUBJECT, project_id="p1", now=NOW)
    return reflow(actions, PersonSettings(pace=pace), TODAY, open_start=True)


def on(actions: list[PlanAction], day: date) -> list[PlanAction]:
    return [a for a in actions if a.due_on == day]


def test_action_ids_are_deterministic() -> None:
    assert action_id(SUBJECT, "p1", "ask-cv-review") == action_id(SUBJECT, "p1", "ask-cv-review")
    assert action_id(SUBJECT, "p1", "ask-cv-review") != action_id(SUBJECT, "p2", "ask-cv-review")
    assert [a.action_id for a in planned()] == [a.action_id for a in planned()]


def test_the_plan_comes_from_the_advice_and_follows_the_pace() -> None:
    actions = planned()
    content = catalogue()
    assert len(actions) >= 8
    assert all(a.template_id in content.actions for a in actions)
    assert all(a.status is ActionStatus.UNREAD for a in actions)
    assert 1 <= len(on(actions, TODAY)) <= 2
    for day in range(14):
        assert len(on(actions, TODAY + timedelta(days=day))) <= 2


def test_the_order_follows_the_main_challenge_then_the_advice_ranking() -> None:
    recommendation = recommend(diagnosis(**BUSY), TODAY, catalogue())  # type: ignore[arg-type]
    strategies = [s.strategy_id for s in recommendation.strategies[:3]]
    ranking = [a.advice_id for a in recommendation.advice.ranked]
    proposals = recommendation.proposals
    # The principal strategy (it serves the main challenge) first, the next ones after, the rest last.
    ranks = [strategies.index(p.strategy_id) if p.strategy_id in strategies else 3 for p in proposals]
    assert ranks == sorted(ranks)
    assert proposals[0].strategy_id == recommendation.strategies[0].strategy_id
    # Within a strategy, the advice in ranking order.
    for rank in set(ranks):
        advice = [p.advice_id for p, r in zip(proposals, ranks, strict=True) if r == rank]
        assert [ranking.index(a) for a in advice] == sorted(ranking.index(a) for a in advice)


def test_a_cv_review_is_planned_on_day_one_for_someone_searching_for_months() -> None:
    # The sign-up persona of the first end-to-end test: a job, a city, a search started months ago.
    actions = planned(
        profile={"frustrations": []},
        project={"total_interview_count": None, "network_estimate": None},
        main_challenge=None,
        overall_score=None,
    )
    assert "ask-cv-review" in {a.template_id for a in on(actions, TODAY)}


def test_changing_the_pace_reflows_at_once() -> None:
    actions = planned(ActionPace.ONE_TO_TWO)
    assert 1 <= len(on(actions, TOMORROW)) <= 2
    faster = reflow(actions, PersonSettings(pace=ActionPace.FIVE_OR_MORE), TODAY)
    assert 4 <= len(on(faster, TOMORROW)) <= 5
    assert 4 <= len(on(faster, TODAY)) <= 5
    slower = reflow(faster, PersonSettings(pace=ActionPace.ONE_TO_TWO), TODAY)
    assert 1 <= len(on(slower, TOMORROW)) <= 2
    paused = reflow(actions, PersonSettings(pace=ActionPace.PAUSE), TODAY)
    assert all(a.due_on is None for a in paused)


def test_reflow_keeps_what_the_person_dated_and_what_was_announced() -> None:
    actions = planned()
    first, second = on(actions, TODAY)[:2]
    announced = replace(first, emitted_on=TODAY)
    dated = apply_change(second, ActionChange(deadline=TODAY + timedelta(days=10)), today=TODAY, now=NOW)
    rest = [a for a in actions if a.action_id not in {first.action_id, second.action_id}]
    after = reflow([announced, dated, *rest], PersonSettings(pace=ActionPace.FIVE_OR_MORE), TODAY)
    by_id = {a.action_id: a for a in after}
    assert by_id[first.action_id].due_on == TODAY
    assert by_id[second.action_id].due_on == TODAY + timedelta(days=10)


def test_ignored_actions_of_past_days_roll_forward() -> None:
    actions = planned()
    later = TODAY + timedelta(days=7)
    ignored = [replace(a, emitted_on=a.due_on) if a.due_on and a.due_on < later else a for a in actions]
    after = reflow(ignored, PersonSettings(), later)
    assert all(a.due_on is None or a.due_on >= later for a in after)


def test_a_new_diagnosis_keeps_what_the_person_did_and_drops_untouched_stale_proposals() -> None:
    actions = planned()
    done = apply_change(actions[0], ActionChange(status=ActionStatus.DONE), today=TODAY, now=NOW)
    kept = [done, *actions[1:]]
    other = recommend(diagnosis(), TODAY, catalogue())  # a calmer situation: fewer proposals
    merged = merge_plan(kept, other.proposals, subject=SUBJECT, project_id="p1", now=NOW)
    by_id = {a.action_id: a for a in merged}
    assert by_id[done.action_id].status is ActionStatus.DONE
    proposed = {action_id(SUBJECT, "p1", p.template_id) for p in other.proposals}
    assert set(by_id) == proposed | {done.action_id}


@pytest.mark.parametrize("current", list(ActionStatus))
def test_every_transition_is_checked(current: ActionStatus) -> None:
    action = replace(planned()[0], status=current, due_on=TODAY)
    for target in ActionStatus:
        change = ActionChange(status=target, snoozed_until=TOMORROW if target is ActionStatus.SNOOZED else None)
        if target is current and target is not ActionStatus.SNOOZED:
            assert apply_change(action, change, today=TODAY, now=NOW) == action  # idempotent
        elif target in TRANSITIONS[current] or target is current:
            assert apply_change(action, change, today=TODAY, now=NOW).status is target
        else:
            with pytest.raises(ConflictError) as refused:
                apply_change(action, change, today=TODAY, now=NOW)
            assert refused.value.code == "invalid_transition"
            assert refused.value.params["current"] == current.value


def test_snooze_deadline_and_usefulness() -> None:
    action = on(planned(), TODAY)[0]
    with pytest.raises(InvalidInputError) as missing:
        apply_change(action, ActionChange(status=ActionStatus.SNOOZED), today=TODAY, now=NOW)
    assert missing.value.problems[0].field == "snoozed_until"
    with pytest.raises(InvalidInputError) as past:
        apply_change(action, ActionChange(status=ActionStatus.SNOOZED, snoozed_until=TODAY), today=TODAY, now=NOW)
    assert past.value.problems[0].code == "must_be_after_today"
    snoozed = apply_change(
        action, ActionChange(status=ActionStatus.SNOOZED, snoozed_until=TODAY + timedelta(days=3)), today=TODAY, now=NOW
    )
    # "Not before that day": the plan places it from then on, at the pace (see the snooze test below).
    assert snoozed.snoozed_until == snoozed.due_on == TODAY + timedelta(days=3) and not snoozed.pinned
    with pytest.raises(InvalidInputError) as before:
        apply_change(action, ActionChange(deadline=TODAY - timedelta(days=1)), today=TODAY, now=NOW)
    assert before.value.problems[0].field == "deadline"
    dated = apply_change(action, ActionChange(deadline=TODAY + timedelta(days=2)), today=TODAY, now=NOW)
    assert dated.status is ActionStatus.CURRENT and dated.due_on == TODAY + timedelta(days=2)
    with pytest.raises(ConflictError, match="was_useful_needs_done"):
        apply_change(action, ActionChange(was_useful=True), today=TODAY, now=NOW)
    done = apply_change(action, ActionChange(status=ActionStatus.DONE, was_useful=True), today=TODAY, now=NOW)
    assert done.was_useful is True and done.done_at == NOW
    with pytest.raises(ConflictError, match="action_closed"):
        apply_change(done, ActionChange(deadline=TOMORROW), today=TODAY, now=NOW)
    with pytest.raises(InvalidInputError, match="empty_change"):
        apply_change(action, ActionChange(), today=TODAY, now=NOW)


def test_declining_frees_the_day_for_the_next_action() -> None:
    actions = planned()
    first = on(actions, TODAY)[0]
    declined = apply_change(first, ActionChange(status=ActionStatus.DECLINED), today=TODAY, now=NOW)
    after = reflow([declined if a.action_id == first.action_id else a for a in actions], PersonSettings(), TODAY)
    assert len(on(after, TODAY)) == len(on(actions, TODAY))
    assert first.action_id not in {a.action_id for a in on(after, TODAY)}


def test_views() -> None:
    actions = planned(ActionPace.THREE_TO_FOUR)
    first, second = on(actions, TODAY)[:2]
    done = apply_change(first, ActionChange(status=ActionStatus.DONE), today=TODAY, now=NOW)
    saved = apply_change(second, ActionChange(status=ActionStatus.SAVED), today=TODAY, now=NOW)
    actions = [done, saved, *[a for a in actions if a.action_id not in {first.action_id, second.action_id}]]
    assert done in select(actions, "today", TODAY)
    assert select(actions, "done", TODAY) == [done]
    assert select(actions, "saved", TODAY) == [saved]
    assert saved not in select(actions, "week", TODAY)
    assert all(a.due_on == TOMORROW for a in select(actions, "tomorrow", TODAY))
    assert all(TODAY <= a.due_on <= TODAY + timedelta(days=6) for a in select(actions, "week", TODAY) if a.due_on)
    # Yesterday's open actions still show today, as overdue.
    assert len(select(actions, "today", TOMORROW)) >= len(
        [a for a in select(actions, "today", TODAY) if a.status is not ActionStatus.DONE]
    )
    tally = counts(actions, TODAY)
    assert tally["all"] == len(actions) and tally["done"] == 1 and tally["saved"] == 1


def test_own_actions() -> None:
    mine = own_action(
        new_id="o_0123456789abcdef",
        project_id="p1",
        title="Appeler Mme Martin",
        duration="1h",
        due_on=TOMORROW,
        now=NOW,
    )
    assert mine.is_own and mine.status is ActionStatus.CURRENT and mine.minutes == 60
    merged = merge_plan([mine], [], subject=SUBJECT, project_id="p1", now=NOW)
    assert merged == [mine]  # a new diagnosis never drops what the person added


def test_the_persons_day_is_in_their_time_zone() -> None:
    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert local_today(late, "Europe/Paris") == date(2026, 11, 24)
    assert local_today(late, "America/Martinique") == date(2026, 11, 23)
    assert local_today(late, "Not/AZone") == date(2026, 11, 24)  # unknown zones read as Paris
    assert due_at(TODAY, "Europe/Paris") == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)


def test_a_snooze_moves_that_action_only_and_it_comes_back_first_on_its_day() -> None:
    actions = planned(ActionPace.ONE_TO_TWO)
    first = on(actions, TODAY)[0]
    back_on = TODAY + timedelta(days=2)
    snoozed = apply_change(
        first, ActionChange(status=ActionStatus.SNOOZED, snoozed_until=back_on), today=TODAY, now=NOW
    )
    after = reflow([snoozed if a.action_id == first.action_id else a for a in actions], PersonSettings(), TODAY)
    by_id = {a.action_id: a for a in after}
    assert by_id[first.action_id].due_on == back_on  # back on the day asked for, ahead of the others
    assert len(on(after, TODAY)) == len(on(actions, TODAY))  # today's freed place goes to the next action
    assert first.action_id not in {a.action_id for a in on(after, TOMORROW)}
    for day in range(14):  # nothing piles up anywhere
        assert len(on(after, TODAY + timedelta(days=day))) <= 2
