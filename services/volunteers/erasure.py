"""Erasure of a person (``user-erased``): everything about them goes, as job seeker and as volunteer.

Matches with the erased person are closed. A completed match is kept without
the erased side (it counts in the public counters): its id is replaced, the
feedback written about them is deleted, and their own comment too (their
rating stays, no longer linked to anyone). A request that lost its volunteer
goes to another volunteer.
"""

from __future__ import annotations

from typing import Any

from services.volunteers import lifecycle
from services.volunteers.lifecycle import LIVE, MatchStatus, Role
from services.volunteers.repository import (
    BLOCKS,
    DOCUMENT_CONTENTS,
    MATCHES,
    MESSAGES,
    PLEDGES,
    REPORTS,
    REQUESTS,
    delete_documents,
)
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


async def erase_subject(uow: UnitOfWork, subject: str) -> None:
    """Delete everything the service holds about the person."""
    matches = uow.collection(MATCHES)
    requests = uow.collection(REQUESTS)
    # As job seeker: the requests go, and so do the volunteers' returned reviews of them.
    for match in await matches.find({"subject": subject}):
        match = await _close_live(uow, match)
        await delete_documents(uow, {"match_id": match["_id"]})
        await _forget_side(uow, match, Role.SEEKER)
    await requests.delete({"subject": subject})
    # As volunteer: live matches go to another volunteer.
    for match in await matches.find({"volunteer": subject}):
        match = await _close_live(uow, match)
        await _forget_side(uow, match, Role.VOLUNTEER)
    await uow.collection(PLEDGES).delete({"_id": subject})
    await delete_documents(uow, {"owner": subject})
    await uow.collection(DOCUMENT_CONTENTS).delete({"owner": subject})
    for collection, fields in (
        (MESSAGES, ("sender", "recipient")),
        (BLOCKS, ("blocker", "blocked")),
        (REPORTS, ("reporter", "reported")),
    ):
        for field in fields:
            await uow.collection(collection).delete({field: subject})
