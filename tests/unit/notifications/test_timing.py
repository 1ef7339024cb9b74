"""Quiet hours in the person's time zone, and the per-person jitter."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.notifications.timing import is_quiet, jitter_factor, next_allowed

NIGHT = {"quiet_start": time(20), "quiet_end": time(8)}


def test_daytime_is_not_delayed() -> None:
    moment = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)  # 14:00 in Paris
    assert next_allowed(moment, time_zone="Europe/Paris", **NIGHT) == moment


def test_late_evening_waits_for_the_next_morning_in_the_persons_zone() -> None:
    moment = datetime(2026, 11, 2, 21, 30, tzinfo=UTC)  # 22:30 in Paris
    assert next_allowed(moment, time_zone="Europe/Paris", **NIGHT) == datetime(2026, 11, 3, 7, 0, tzinfo=UTC)


def test_early_morning_waits_until_the_end_of_the_quiet_hours() -> None:
    moment = datetime(2026, 11, 2, 5, 0, tzinfo=UTC)  # 06:00 in Paris
    assert next_allowed(moment, time_zone="Europe/Paris", **NIGHT) == datetime(2026, 11, 2, 7, 0, tzinfo=UTC)


def test_the_zone_of_the_person_counts_not_the_servers() -> None:
    moment = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)  # 09:00 in Martinique, 14:00 in Paris
    assert next_allowed(moment, time_zone="America/Martinique", quiet_start=time(20), quiet_end=time(10)) == datetime(
        2026, 11, 2, 14, 0, tzinfo=UTC
    )


def test_the_morning_after_a_daylight_saving_change_is_local_time() -> None:
    moment = datetime(2026, 3, 28, 22, 0, tzinfo=UTC)  # 23:00 in Paris, the night clocks move forward
    assert next_allowed(moment, time_zone="Europe/Paris", **NIGHT) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def test_equal_bounds_mean_no_quiet_hours_and_an_unknown_zone_falls_back_to_paris() -> None:
    assert not is_quiet(time(3), time(0), time(0))
    moment = datetime(2026, 11, 2, 21, 30, tzinfo=UTC)
    assert next_allowed(moment, time_zone="Mars/Olympus", **NIGHT) == datetime(2026, 11, 3, 7, 0, tzinfo=UTC)


MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))


@given(MOMENTS, st.times(), st.times())
def test_the_allowed_moment_is_the_first_one_outside_the_quiet_hours(moment: datetime, start: time, end: time) -> None:
    allowed = next_allowed(moment, time_zone="UTC", quiet_start=start, quiet_end=end)
    assert moment <= allowed < moment + timedelta(days=1)
    assert not is_quiet(allowed.time().replace(tzinfo=None), start, end)
    assert allowed == moment or allowed.time().replace(tzinfo=None) == end


@given(st.text(min_size=8, max_size=20), st.text(max_size=10))
def test_jitter_stays_within_twenty_percent_and_is_stable(subject: str, salt: str) -> None:
    factor = jitter_factor(subject, salt)
    assert 0.8 <= factor <= 1.2
    assert jitter_factor(subject, salt) == factor
