"""The daily digest: keyed by the day it leaves, today's until it leaves, then tomorrow's; as many actions as the
pace."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from services.notifications.digest import digest_items, digest_slot
from shared.contracts.vocabulary import ActionPace
from tests.unit.notifications.support import recipient


def test_an_action_joins_todays_digest_after_the_grouping_delay() -> None:
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    slot = digest_slot(recipient(), now, delay_s=60, today_sent=False)
    assert slot.day == date(2026, 11, 2)
    assert slot.send_after == datetime(2026, 11, 2, 9, 1, tzinfo=UTC)


def test_once_todays_digest_left_the_action_waits_for_tomorrows_morning() -> None:
    now = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    slot = digest_slot(recipient(), now, delay_s=60, today_sent=True)
    assert slot.day == date(2026, 11, 3)
    assert slot.send_after == datetime(2026, 11, 3, 7, 0, tzinfo=UTC)  # 08:00 in Paris, end of quiet hours


def test_an_action_due_at_night_joins_the_digest_of_the_morning_it_leaves() -> None:
    night = datetime(2026, 11, 2, 22, 0, tzinfo=UTC)
    slot = digest_slot(
        recipient(quiet_hours_start=time(21), quiet_hours_end=time(9)), night, delay_s=0, today_sent=False
    )
    assert slot.send_after == datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    assert slot.day == date(2026, 11, 3)  # the day it leaves, as the actions of that morning


def test_the_digest_lists_as_many_actions_as_the_pace() -> None:
    actions = [{"_id": f"a{i}", "due_on": "2026-11-02", "minutes": 30 - i} for i in range(5)]
    shown, more = digest_items(actions, ActionPace.ONE_TO_TWO)
    assert [a["_id"] for a in shown] == ["a4", "a3"]
    assert more == 3
    shown, more = digest_items(actions, ActionPace.FIVE_OR_MORE)
    assert len(shown) == 5 and more == 0
