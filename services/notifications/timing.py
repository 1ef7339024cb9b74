"""When an email may leave: quiet hours in the person's time zone, and the per-person jitter (pure)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIME_ZONE = "Europe/Paris"
JITTER = 0.2


def zone(name: str) -> ZoneInfo:
    """Return the time zone, or Paris when the name is unknown (a bad zone must not stop emails)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def is_quiet(local: time, start: time, end: time) -> bool:
    """Return True when a local time falls in the quiet hours [start, end); start == end means none."""
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def next_allowed(moment: datetime, *, time_zone: str, quiet_start: time, quiet_end: time) -> datetime:
    """Return the first instant at or after ``moment`` outside the person's quiet hours (UTC)."""
    tz = zone(time_zone)
    local = moment.astimezone(tz)
    if not is_quiet(local.time().replace(tzinfo=None), quiet_start, quiet_end):
        return moment
    day = local.date()
    if quiet_start > quiet_end and local.time().replace(tzinfo=None) >= quiet_start:
        day += timedelta(days=1)
    # Built as wall-clock time in the zone: a DST change moves the UTC instant, not the local hour.
    return datetime.combine(day, quiet_end, tzinfo=tz).astimezone(UTC)


def local_day(moment: datetime, time_zone: str) -> datetime:
    """Return the local midnight (as a UTC instant) of the person's day that contains ``moment``."""
    tz = zone(time_zone)
    return datetime.combine(moment.astimezone(tz).date(), time(0), tzinfo=tz).astimezone(UTC)


def jitter_factor(subject: str, salt: str) -> float:
    """Return a factor in [0.8, 1.2], always the same for one person and salt, so tests are stable."""
    digest = hashlib.sha256(f"{subject}:{salt}".encode()).digest()
    unit = int.from_bytes(digest[:8], "big") / 2**64
    return 1 - JITTER + 2 * JITTER * unit


def draw(subject: str, salt: str) -> float:
    """Return a number in [0, 1), always the same for one person and salt (the reference's random share)."""
    digest = hashlib.sha256(f"draw:{subject}:{salt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64
