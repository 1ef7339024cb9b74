"""Pace scheduling: which day each action of the plan falls on (pure).

The person chooses a pace (actions a day) and the days they work on their
search; French public holidays and the days off they declare are quiet days.
A day holds at most the pace's number of actions and its time budget (an
action longer than the budget gets a day of its own), and at most one action
that needs a volunteer, so that requests reach volunteers one at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from shared.contracts.vocabulary import ActionPace

# How far ahead of the queue the day-filling may look for an action that fits the remaining time.
LOOKAHEAD = 6
HORIZON_DAYS = 366


def daily_due_cap(pace: ActionPace) -> int:
    """Return how many action-due reminders a person may get in one day (room for own and dated actions)."""
    return 0 if pace.rule is None else pace.daily_cap + 2


def _easter(year: int) -> date:
    """Return Easter Sunday (the Meeus/Jones/Butcher Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def french_public_holidays(year: int) -> frozenset[date]:
    """Return the eleven public holidays of metropolitan France in a year."""
    easter = _easter(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [easter + timedelta(days=1), easter + timedelta(days=39), easter + timedelta(days=50)]
    return frozenset([date(year, m, d) for m, d in fixed] + moving)


@dataclass(frozen=True, slots=True)
class Calendar:
    """The days the person works on their search."""

    working_days: frozenset[int] = frozenset(range(5))
    days_off: frozenset[date] = frozenset()

    def is_plan_day(self, day: date) -> bool:
        """Return True when actions may be planned on this day."""
        return (
            day.weekday() in self.working_days
            and day not in self.days_off
            and day not in french_public_holidays(day.year)
        )


@dataclass(frozen=True, slots=True)
class Slot:
    """An action waiting for a day (not before ``not_before``: the day a snoozed action asked for)."""

    action_id: str
    minutes: int
    needs_help: bool
    not_before: date | None = None


@dataclass(slots=True)
class DayLoad:
    """What a day already holds."""

    actions: int = 0
    minutes: int = 0
    helps: int = 0


def place(
    queue: Sequence[Slot],
    *,
    pace: ActionPace,
    calendar: Calendar,
    start: date,
    booked: Mapping[date, DayLoad] | None = None,
    open_start: bool = False,
) -> dict[str, date]:
    """Return the day of each queued action, in queue order, from ``start`` on, at the pace.

    ``booked`` is what days already hold (actions that keep their day).
    ``open_start`` makes ``start`` a plan day even if it is not a working day:
    a new plan starts the day the person comes.
    """
    rule = pace.rule
    if rule is None:  # a pause: nothing is planned
        return {}
    remaining = list(queue)
    placed: dict[str, date] = {}
    day = start
    last = start + timedelta(days=HORIZON_DAYS)
    while remaining and day <= last:
        if calendar.is_plan_day(day) or (open_start and day == start):
            already = (booked or {}).get(day)
            load = DayLoad(already.actions, already.minutes, already.helps) if already else DayLoad()
            # Only the actions that may fall on this day compete for it, in queue order.
            eligible = [slot for slot in remaining if slot.not_before is None or slot.not_before <= day]
            index = 0
            while eligible and load.actions < rule.max_actions and index < min(len(eligible), LOOKAHEAD):
                slot = eligible[index]
                fits_time = load.actions == 0 or load.minutes + slot.minutes <= rule.max_minutes
                fits_help = not slot.needs_help or load.helps == 0
                if fits_time and fits_help:
                    placed[slot.action_id] = day
                    load.actions += 1
                    load.minutes += slot.minutes
                    load.helps += slot.needs_help
                    eligible.pop(index)
                    remaining.remove(slot)
                else:
                    index += 1
        day += timedelta(days=1)
    return placed
