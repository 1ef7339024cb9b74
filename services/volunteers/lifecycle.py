"""The life of a match, as pure functions of the match document and the clock.

    proposed ──accept──► accepted ──review returned / coffee scheduled──► in-progress ──► completed
       │                    │                                                │  (either side, or by itself
       ├─decline─► declined  └─nothing done in time─► lapsed                  │   once the confirmation time ran out)
       └─no answer in time─► expired
    any live state ──cancel (job seeker) / withdraw (volunteer)──► cancelled
    any live state ──block, report, erasure──► closed

Each function returns the fields to change (or raises ``ConflictError``: 409 with a code); the caller
writes them in one unit of work. When a match ends without help (declined,
expired, lapsed, cancelled by the volunteer, closed), the request is offered
again to another volunteer and keeps its waiting time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from shared.contracts.vocabulary import MEETING_HELPS, Help
from shared.envelope import iso
from shared.problems import ConflictError

Changes = dict[str, Any]


class MatchStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    DECLINED = "declined"
    EXPIRED = "expired"
    LAPSED = "lapsed"
    CANCELLED = "cancelled"
    CLOSED = "closed"


LIVE = frozenset({MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS})
# Where the volunteer's help is given or promised: these count against the monthly pledge.
COUNTED = frozenset({MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS, MatchStatus.COMPLETED})
# Where the two parties may talk and the matched volunteer may read the document.
ENGAGED = frozenset({MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS, MatchStatus.COMPLETED})


class Role(StrEnum):
    """Which side of a match a person is on."""

    SEEKER = "seeker"
    VOLUNTEER = "volunteer"


@dataclass(frozen=True)
class Timing:
    """How long each step may take (days)."""

    answer_days: int = 3  # to accept or decline a proposal
    review_days: int = 7  # to return a review once accepted
    coffee_days: int = 21  # to schedule the coffee once accepted
    confirm_days: int = 7  # after the review is returned or the coffee date, before it counts as done
    document_days: int = 30  # documents are deleted this long after the help is completed
    schedule_ahead_days: int = 60  # how far ahead a coffee can be scheduled


def parse(moment: str | None) -> datetime | None:
    """Return the datetime of a stored ISO 8601 text."""
    return datetime.fromisoformat(moment) if moment else None


def status_of(match: Mapping[str, Any]) -> MatchStatus:
    """Return the match's status."""
    return MatchStatus(match["status"])


def role_of(match: Mapping[str, Any], user_id: str) -> Role | None:
    """Return the person's side of the match, or None when they are not a party to it."""
    if match.get("volunteer") == user_id:
        return Role.VOLUNTEER
    if match.get("subject") == user_id:
        return Role.SEEKER
    return None


def month_of(moment: datetime) -> str:
    """Return the calendar month (UTC) a help counts in, e.g. ``2026-11``."""
    return moment.strftime("%Y-%m")


def monthly_load(matches: Iterable[Mapping[str, Any]], month: str) -> Counter[str]:
    """Return, per volunteer, how many helps count against their pledge in the month."""
    return Counter(m["volunteer"] for m in matches if m.get("month") == month and MatchStatus(m["status"]) in COUNTED)


def _require(match: Mapping[str, Any], allowed: Iterable[MatchStatus], action: str) -> None:
    status = status_of(match)
    if status not in allowed:
        raise ConflictError("match_state", action=action, status=status.value)


def proposed(
    *,
    match_id: str,
    request_id: str,
    subject: str,
    volunteer_id: str,
    kind: Help,
    score: float,
    reasons: Iterable[Mapping[str, Any]],
    now: datetime,
    timing: Timing,
) -> dict[str, Any]:
    """Return a new match document: the volunteer has ``answer_days`` to answer."""
    return {
        "_id": match_id,
        "request_id": request_id,
        "subject": subject,
        "volunteer": volunteer_id,
        "kind": kind.value,
        "status": MatchStatus.PROPOSED.value,
        "score": score,
        "reasons": list(reasons),
        "month": month_of(now),
        "proposed_at": iso(now),
        "respond_by": iso(now + timedelta(days=timing.answer_days)),
        "contact_consent": {},
        "feedback": {},
    }


def accept(match: Mapping[str, Any], *, now: datetime, timing: Timing) -> Changes:
    """Return the changes when the volunteer accepts: the clock for the help starts."""
    _require(match, {MatchStatus.PROPOSED}, "accept")
    days = timing.coffee_days if match["kind"] in MEETING_HELPS else timing.review_days
    return {
        "status": MatchStatus.ACCEPTED.value,
        "answered_at": iso(now),
        "work_due_by": iso(now + timedelta(days=days)),
    }


def decline(match: Mapping[str, Any], *, now: datetime) -> Changes:
    """Return the changes when the volunteer declines (the request goes to the next volunteer)."""
    _require(match, {MatchStatus.PROPOSED}, "decline")
    return {"status": MatchStatus.DECLINED.value, "answered_at": iso(now), "ended_at": iso(now)}


def return_review(match: Mapping[str, Any], *, now: datetime, timing: Timing, document_id: str) -> Changes:
    """Return the changes when the volunteer uploads the reviewed document: in progress until confirmed."""
    if match["kind"] in MEETING_HELPS:
        raise ConflictError("not_a_review")
    _require(match, {MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS}, "return_review")
    return {
        "status": MatchStatus.IN_PROGRESS.value,
        "started_at": match.get("started_at") or iso(now),
        "review_document_id": document_id,
        "finish_by": iso(now + timedelta(days=timing.confirm_days)),
    }


def schedule_coffee(match: Mapping[str, Any], *, now: datetime, at: datetime, timing: Timing) -> Changes:
    """Return the changes when the date of a meeting (coffee, mock interview) is set (or moved)."""
    if match["kind"] not in MEETING_HELPS:
        raise ConflictError("not_a_coffee")
    _require(match, {MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS}, "schedule")
    if at <= now:
        raise ConflictError("date_in_the_past")
    if at > now + timedelta(days=timing.schedule_ahead_days):
        raise ConflictError("date_too_far", max_days=timing.schedule_ahead_days)
    return {
        "status": MatchStatus.IN_PROGRESS.value,
        "started_at": match.get("started_at") or iso(now),
        "scheduled_at": iso(at),
        "finish_by": iso(at + timedelta(days=timing.confirm_days)),
    }


def complete(match: Mapping[str, Any], *, now: datetime, timing: Timing, by: str) -> Changes:
    """Return the changes when the help is done; the documents are kept ``document_days`` more."""
    _require(match, {MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS}, "complete")
    scheduled = parse(match.get("scheduled_at"))
    if scheduled is not None and scheduled > now:
        raise ConflictError("coffee_not_held_yet")
    return {
        "status": MatchStatus.COMPLETED.value,
        "completed_at": iso(now),
        "completed_by": by,
        "ended_at": iso(now),
        "documents_delete_after": iso(now + timedelta(days=timing.document_days)),
    }


def end(match: Mapping[str, Any], *, now: datetime, status: MatchStatus, reason: str) -> Changes:
    """Return the changes that end a live match without the help (cancelled or closed)."""
    _require(match, LIVE, status.value)
    return {"status": status.value, "ended_at": iso(now), "end_reason": reason}


def due_transition(match: Mapping[str, Any], *, now: datetime) -> MatchStatus | None:
    """Return the status a live match moves to because time ran out, or None while it is on time."""
    status = status_of(match)
    deadline = {
        MatchStatus.PROPOSED: match.get("respond_by"),
        MatchStatus.ACCEPTED: match.get("work_due_by"),
        MatchStatus.IN_PROGRESS: match.get("finish_by"),
    }.get(status)
    moment = parse(deadline)
    if moment is None or now < moment:
        return None
    return {
        MatchStatus.PROPOSED: MatchStatus.EXPIRED,  # no answer: the next volunteer
        MatchStatus.ACCEPTED: MatchStatus.LAPSED,  # stale: the request is offered again
        MatchStatus.IN_PROGRESS: MatchStatus.COMPLETED,  # returned or held, not confirmed: it counts as done
    }[status]


def time_out(match: Mapping[str, Any], *, now: datetime, timing: Timing) -> Changes:
    """Return the changes when a match's deadline passed."""
    target = due_transition(match, now=now)
    if target is None:
        raise ConflictError("not_due")
    if target is MatchStatus.COMPLETED:
        return complete(match, now=now, timing=timing, by="timeout")
    return {"status": target.value, "ended_at": iso(now), "end_reason": "timeout"}


def offered_again(status: MatchStatus) -> bool:
    """Return True when a match that ended this way sends the request to another volunteer."""
    return status in {MatchStatus.DECLINED, MatchStatus.EXPIRED, MatchStatus.LAPSED, MatchStatus.CLOSED}


def feedback(match: Mapping[str, Any], *, role: Role, rating: int, comment: str | None, now: datetime) -> Changes:
    """Return the changes for one side's feedback (1-5 and a comment), given once, after completion."""
    _require(match, {MatchStatus.COMPLETED}, "feedback")
    if not 1 <= rating <= 5:
        raise ConflictError("rating_out_of_range", min=1, max=5)
    if (match.get("feedback") or {}).get(role.value):
        raise ConflictError("feedback_already_given")
    return {f"feedback.{role.value}": {"rating": rating, "comment": comment, "at": iso(now)}}
