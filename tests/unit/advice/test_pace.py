"""Pace scheduling: actions a day, time budget, working days, public holidays, days off."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.advice.pace import Calendar, DayLoad, Slot, french_public_holidays, place
from shared.contracts.vocabulary import ActionPace

MONDAY = date(2026, 11, 23)


def slots(n: int, minutes: int = 30, helps: tuple[int, ...] = ()) -> list[Slot]:
    return [Slot(f"a{i}", minutes, i in helps) for i in range(n)]


def per_day(placed: dict[str, date]) -> dict[date, int]:
    days: dict[date, int] = {}
    for day in placed.values():
        days[day] = days.get(day, 0) + 1
    return days


def test_each_pace_fills_days_up_to_its_count() -> None:
    for pace, expected in ((ActionPace.ONE_TO_TWO, 2), (ActionPace.THREE_TO_FOUR, 4), (ActionPace.FIVE_OR_MORE, 5)):
        placed = place(slots(20), pace=pace, calendar=Calendar(), start=MONDAY)
        assert per_day(placed)[MONDAY] == expected
        assert max(per_day(placed).values()) == expected


def test_the_time_budget_limits_a_day_and_a_long_action_gets_its_own_day() -> None:
    queue = [Slot("long", 120, False), Slot("a", 60, False), Slot("b", 30, False)]
    placed = place(queue, pace=ActionPace.ONE_TO_TWO, calendar=Calendar(), start=MONDAY)
    assert placed["long"] == MONDAY
    # 120 minutes fill the 90-minute day; the rest moves on.
    assert placed["a"] == placed["b"] == MONDAY + timedelta(days=1)


def test_short_actions_are_pulled_forward_to_fill_the_day() -> None:
    queue = [Slot("a", 60, False), Slot("long", 120, False), Slot("b", 30, False)]
    placed = place(queue, pace=ActionPace.ONE_TO_TWO, calendar=Calendar(), start=MONDAY)
    assert placed["a"] == placed["b"] == MONDAY
    assert placed["long"] == MONDAY + timedelta(days=1)


def test_one_volunteer_request_a_day() -> None:
    placed = place(slots(4, helps=(0, 1)), pace=ActionPace.FIVE_OR_MORE, calendar=Calendar(), start=MONDAY)
    assert placed["a0"] == MONDAY and placed["a1"] == MONDAY + timedelta(days=1)


def test_weekends_holidays_and_days_off_are_quiet() -> None:
    friday = date(2026, 11, 27)
    placed = place(slots(4), pace=ActionPace.ONE_TO_TWO, calendar=Calendar(), start=friday)
    assert sorted(set(placed.values())) == [friday, friday + timedelta(days=3)]  # Friday, then Monday
    christmas_eve = date(2026, 12, 24)
    placed = place(slots(4), pace=ActionPace.ONE_TO_TWO, calendar=Calendar(), start=christmas_eve)
    assert date(2026, 12, 25) not in placed.values()  # a public holiday
    off = Calendar(days_off=frozenset({MONDAY}))
    assert MONDAY not in place(slots(2), pace=ActionPace.ONE_TO_TWO, calendar=off, start=MONDAY).values()


def test_working_days_are_the_persons() -> None:
    weekends = Calendar(working_days=frozenset({5, 6}))
    placed = place(slots(4), pace=ActionPace.ONE_TO_TWO, calendar=weekends, start=MONDAY)
    assert {d.weekday() for d in placed.values()} <= {5, 6}


def test_a_new_plan_may_start_on_a_quiet_day() -> None:
    sunday = date(2026, 11, 22)
    placed = place(slots(3), pace=ActionPace.ONE_TO_TWO, calendar=Calendar(), start=sunday, open_start=True)
    assert per_day(placed) == {sunday: 2, sunday + timedelta(days=1): 1}


def test_booked_days_count() -> None:
    booked = {MONDAY: DayLoad(actions=2, minutes=60)}
    placed = place(slots(2), pace=ActionPace.ONE_TO_TWO, calendar=Calendar(), start=MONDAY, booked=booked)
    assert set(placed.values()) == {MONDAY + timedelta(days=1)}


def test_a_pause_plans_nothing() -> None:
    assert place(slots(5), pace=ActionPace.PAUSE, calendar=Calendar(), start=MONDAY) == {}


def test_french_public_holidays() -> None:
    holidays = french_public_holidays(2027)
    assert len(holidays) == 11
    assert date(2027, 3, 29) in holidays  # Easter Monday
    assert date(2027, 5, 6) in holidays  # Ascension
    assert date(2027, 5, 17) in holidays  # Whit Monday
    assert date(2027, 7, 14) in holidays


@settings(max_examples=200, deadline=None)
@given(
    minutes=st.lists(st.sampled_from([30, 60, 120]), max_size=40),
    helps=st.lists(st.booleans(), max_size=40),
    pace=st.sampled_from([ActionPace.ONE_TO_TWO, ActionPace.THREE_TO_FOUR, ActionPace.FIVE_OR_MORE]),
    working=st.frozensets(st.integers(0, 6), min_size=1),
    start=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
)
def test_any_plan_respects_the_pace_the_days_and_the_volunteers(
    minutes: list[int], helps: list[bool], pace: ActionPace, working: frozenset[int], start: date
) -> None:
    queue = [Slot(f"a{i}", m, i < len(helps) and helps[i]) for i, m in enumerate(minutes)]
    calendar = Calendar(working_days=working)
    placed = place(queue, pace=pace, calendar=calendar, start=start)
    rule = pace.rule
    assert rule is not None
    assert set(placed) == {slot.action_id for slot in queue}  # nobody is left out
    for day in set(placed.values()):
        assert calendar.is_plan_day(day) and day >= start
        slots = [s for s in queue if placed[s.action_id] == day]
        assert len(slots) <= rule.max_actions
        assert len(slots) == 1 or sum(s.minutes for s in slots) <= rule.max_minutes
        assert sum(s.needs_help for s in slots) <= 1
