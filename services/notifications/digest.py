"""The daily digest of due actions: one email a day at most, at the person's pace and outside quiet hours (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from services.notifications.recipients import Recipient
from services.notifications.timing import local_day, next_allowed, zone
from shared.contracts.vocabulary import ActionPace

DIGEST_CAMPAIGN = "action-digest"


@dataclass(frozen=True)
class DigestSlot:
    """The digest an action joins: the local day it leaves on and when it may leave."""

    day: date
    send_after: datetime


def digest_key(subject: str, day: date) -> str:
    """Return the dedupe key of a person's digest leaving on one local day."""
    return f"{DIGEST_CAMPAIGN}:{subject}:{day.isoformat()}"


def digest_slot(recipient: Recipient, now: datetime, *, delay_s: float, today_sent: bool) -> DigestSlot:
    """Return the digest a newly due action joins: the next one to leave, tomorrow's when today's has left.

    ``today_sent`` says whether the digest leaving on the local day of ``now`` has left.
    """
    earliest = now + timedelta(seconds=delay_s)
    if today_sent:
        earliest = max(earliest, local_day(now + timedelta(days=1), recipient.time_zone))
    send_after = next_allowed(
        earliest,
        time_zone=recipient.time_zone,
        quiet_start=recipient.quiet_hours_start,
        quiet_end=recipient.quiet_hours_end,
    )
    # Keyed by the day it leaves, not the day the action came: an action at 23:00 and one at 07:00 the
    # next morning both wait for the end of the quiet hours, and must leave in one email, not two.
    return DigestSlot(send_after.astimezone(zone(recipient.time_zone)).date(), send_after)


def digest_items(actions: Sequence[dict[str, Any]], pace: ActionPace) -> tuple[list[dict[str, Any]], int]:
    """Return the actions to list (oldest due first, shortest first) and how many more wait in the plan."""
    ordered = sorted(actions, key=lambda a: (a["due_on"], a["minutes"], a["_id"]))
    # The pace says how many one day's email lists (ActionPace.per_email); the rest are "in your plan".
    limit = max(pace.per_email, 1)
    return ordered[:limit], max(len(ordered) - limit, 0)
