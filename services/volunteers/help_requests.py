"""Help requests of job seekers, as pure functions: what is shared, and the request's states.

    awaiting-sharing-choice ──sharing chosen──► open ──proposal──► proposed ──accepted──► matched ──► completed
                                                 ▲                        │                      │
                                                 └──── declined, no answer, stale, blocked ──────┘
    any state but completed ──cancelled by the job seeker──► cancelled

A request made from an action of the plan starts ``awaiting-sharing-choice``:
nothing about the person is shown to anyone, nor used for matching, before
they chose what to share.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from services.volunteers.lifecycle import MatchStatus
from shared.contracts.api.volunteers import SharingWrite
from shared.contracts.vocabulary import MEETING_HELPS, Help
from shared.envelope import iso
from shared.problems import ConflictError

Changes = dict[str, Any]


class RequestStatus(StrEnum):
    AWAITING_SHARING_CHOICE = "awaiting-sharing-choice"
    OPEN = "open"
    PROPOSED = "proposed"
    MATCHED = "matched"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


LIVE_REQUEST = frozenset({RequestStatus.OPEN, RequestStatus.PROPOSED, RequestStatus.MATCHED})


def new_request(
    *,
    request_id: str,
    subject: str,
    kind: Help,
    now: datetime,
    origin: str,
    action_id: str | None = None,
    suggested_rome_code: str | None = None,
    suggested_city_insee: str | None = None,
) -> dict[str, Any]:
    """Return a new request document, waiting for the job seeker's sharing choice."""
    return {
        "_id": request_id,
        "subject": subject,
        "kind": kind.value,
        "origin": origin,
        "action_id": action_id,
        "suggested": {"rome_code": suggested_rome_code, "city_insee": suggested_city_insee},
        "status": RequestStatus.AWAITING_SHARING_CHOICE.value,
        "sharing": None,
        "document_id": None,
        "current_match_id": None,
        "volunteers_asked": 0,
        "created_at": iso(now),
        "opened_at": None,
        "updated_at": iso(now),
    }


def sharing_document(sharing: SharingWrite) -> dict[str, Any]:
    """Return the stored sharing choice: only the values the person chose to show."""
    return {
        "first_name": sharing.first_name if sharing.share_first_name else None,
        "rome_code": sharing.rome_code,
        "city_insee": sharing.city_insee,
        "languages": sorted(set(sharing.languages)),
        "meet_in_person": sharing.meet_in_person and sharing.city_insee is not None,
        "remote_ok": sharing.remote_ok,
        "availability": sorted(set(sharing.availability)),
        "note": sharing.note,
    }


def open_with_sharing(request: Mapping[str, Any], sharing: SharingWrite, *, now: datetime) -> Changes:
    """Return the changes when the job seeker chose what to share: the request opens for matching."""
    status = RequestStatus(request["status"])
    if status is not RequestStatus.AWAITING_SHARING_CHOICE:
        raise ConflictError("request_state", action="share", status=status.value)
    shared = sharing_document(sharing)
    if request["kind"] in MEETING_HELPS and not (shared["meet_in_person"] or shared["remote_ok"]):
        raise ConflictError("coffee_needs_a_place")
    return {
        "status": RequestStatus.OPEN.value,
        "sharing": shared,
        "opened_at": iso(now),
        "updated_at": iso(now),
    }


def after_proposal(match_id: str, volunteer_id: str, *, now: datetime, asked: int) -> Changes:
    """Return the request's changes when a volunteer is proposed."""
    return {
        "status": RequestStatus.PROPOSED.value,
        "current_match_id": match_id,
        "volunteers_asked": asked + 1,
        "updated_at": iso(now),
    }


def after_match_change(match_status: MatchStatus, *, now: datetime) -> Changes:
    """Return the request's changes after its current match changed status.

    A request offered again keeps its waiting time; the volunteers already asked
    are known from its matches (matching never proposes them again).
    """
    changes: Changes = {"updated_at": iso(now)}
    if match_status in {MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS}:
        changes["status"] = RequestStatus.MATCHED.value
    elif match_status is MatchStatus.COMPLETED:
        changes["status"] = RequestStatus.COMPLETED.value
    elif match_status is MatchStatus.CANCELLED:
        changes["status"] = RequestStatus.CANCELLED.value
    else:
        # Declined, no answer, stale, closed: offered to another volunteer.
        changes.update({"status": RequestStatus.OPEN.value, "current_match_id": None})
    return changes


def cancel(request: Mapping[str, Any], *, now: datetime) -> Changes:
    """Return the changes when the job seeker cancels the request."""
    status = RequestStatus(request["status"])
    if status in {RequestStatus.COMPLETED, RequestStatus.CANCELLED}:
        raise ConflictError("request_state", action="cancel", status=status.value)
    return {"status": RequestStatus.CANCELLED.value, "updated_at": iso(now), "closed_at": iso(now)}
