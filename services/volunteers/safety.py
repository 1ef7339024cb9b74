"""Safety rules between strangers: who may write, how much, and when a volunteer is taken out of matching."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.volunteers.lifecycle import ENGAGED, MatchStatus, Role, parse
from shared.problems import ConflictError


@dataclass(frozen=True)
class Limits:
    messages_per_day: int = 20  # per sender and match: relayed messages are not a chat flood
    messages_after_completion_days: int = 30
    reports_to_suspend: int = 2  # distinct job seekers reporting a volunteer


def check_message(
    match: Mapping[str, Any],
    *,
    sender: Role,
    now: datetime,
    sent: Iterable[Mapping[str, Any]],
    limits: Limits,
) -> None:
    """Raise ConflictError unless the sender may relay one more message on this match now.

    ``sent`` are the sender's earlier messages on the match.
    """
    status = MatchStatus(match["status"])
    if status not in ENGAGED:
        raise ConflictError("messages_closed", status=status.value)
    completed = parse(match.get("completed_at"))
    if completed is not None and now - completed > timedelta(days=limits.messages_after_completion_days):
        raise ConflictError("messages_closed", status=status.value)
    day_ago = now - timedelta(days=1)
    recent = sum(1 for m in sent if datetime.fromisoformat(m["sent_at"]) > day_ago)
    if recent >= limits.messages_per_day:
        raise ConflictError("message_limit_reached", max=limits.messages_per_day, role=sender.value)


def should_suspend(reporters: Iterable[str], limits: Limits) -> bool:
    """Return True when enough different people reported a volunteer to take them out of matching."""
    return len(set(reporters)) >= limits.reports_to_suspend
