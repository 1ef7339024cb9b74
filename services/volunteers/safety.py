"""Safety rules between strangers: who may write, how much, when a pair is cut off, and when a volunteer is taken
out of matching."""

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


def pair_blocked(match: Mapping[str, Any], blocks: Iterable[Mapping[str, Any]]) -> bool:
    """Return True when either side of the match blocked (or reported, which blocks) the other.

    This is the one rule that cuts a pair off, whatever the match's status: a
    block must also hold on a completed match, where messages, the documents
    and the shared contact otherwise stay open for a while. ``blocks`` are
    stored blocks (``blocker``, ``blocked``); the direction does not matter.
    """
    pair = {match.get("subject"), match.get("volunteer")}
    return any({block["blocker"], block["blocked"]} == pair for block in blocks)


def check_message(
    match: Mapping[str, Any],
    *,
    sender: Role,
    now: datetime,
    sent: Iterable[Mapping[str, Any]],
    blocks: Iterable[Mapping[str, Any]],
    limits: Limits,
) -> None:
    """Raise ConflictError unless the sender may relay one more message on this match now.

    ``sent`` are the sender's earlier messages on the match; ``blocks`` the blocks between its two sides.
    """
    status = MatchStatus(match["status"])
    # The same answer as a closed match: the blocked side is not told that they were blocked.
    if status not in ENGAGED or pair_blocked(match, blocks):
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
