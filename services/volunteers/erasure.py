"""The steps of a person's erasure that are more than a deletion (the registry in ``privacy`` runs them).

Everything about the person goes, as job seeker and as volunteer. Matches with the erased person are
closed. A completed match is kept without the erased side (it counts in the public counters): its id is
replaced, the feedback written about them is deleted, and their own comment too (their rating stays, no
longer linked to anyone). A request that lost its volunteer goes to another volunteer.
"""

from __future__ import annotations

from typing import Any

from services.volunteers import lifecycle
from services.volunteers.lifecycle import LIVE, MatchStatus, Role
from services.volunteers.repository import MATCHES, delete_documents
from services.volunteers.transitions import apply_transition
from shared.unit_of_work import UnitOfWork

ERASED = "erased"


async def _close_live(uow: UnitOfWork, match: dict[str, Any]) -> dict[str, Any]:
    if MatchStatus(match["status"]) in LIVE:
        changes = lifecycle.end(match, now=uow.now, status=MatchStatus.CLOSED, reason="party-erased")
        return await apply_transition(uow, match, changes)
    return match


async def _forget_side(uow: UnitOfWork, match: dict[str, Any], role: Role) -> None:
    """Keep a completed match without the erased side; delete any other."""
    matches = uow.collection(MATCHES)
    if match["status"] != MatchStatus.COMPLETED:
        await matches.delete({"_id": match["_id"]})
        return
    other = Role.VOLUNTEER if role is Role.SEEKER else Role.SEEKER
    field = "subject" if role is Role.SEEKER else "volunteer"
    unset = [f"feedback.{other.value}"]
    changes: dict[str, Any] = {field: ERASED}
    if (match.get("feedback") or {}).get(role.value):
        changes[f"feedback.{role.value}.comment"] = None
    await matches.update({"_id": match["_id"]}, set=changes, unset=unset)


async def forget_matches(uow: UnitOfWork, subject: str) -> int:
    """Close the person's live matches and forget their side of every match; return how many matches."""
    matches = uow.collection(MATCHES)
    seen = 0
    # As job seeker: the volunteers' returned reviews of their documents go with the match.
    for match in await matches.find({"subject": subject}):
        match = await _close_live(uow, match)
        await delete_documents(uow, {"match_id": match["_id"]})
        await _forget_side(uow, match, Role.SEEKER)
        seen += 1
    # As volunteer: a live match goes to another volunteer.
    for match in await matches.find({"volunteer": subject}):
        match = await _close_live(uow, match)
        await _forget_side(uow, match, Role.VOLUNTEER)
        seen += 1
    return seen


async def forget_documents(uow: UnitOfWork, subject: str) -> int:
    """Delete the person's documents with their files."""
    return await delete_documents(uow, {"owner": subject})
