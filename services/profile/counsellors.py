"""Counsellor links: a job seeker invites a counsellor by link; the counsellor then reads a summary, until revoked."""

from __future__ import annotations

from shared.envelope import iso
from shared.unit_of_work import UnitOfWork

INVITATIONS = "counsellor_invitations"
LINKS = "counsellor_links"


def link_id(user_id: str, counsellor_id: str) -> str:
    """Return the id of the link between a person and a counsellor."""
    return f"{user_id}:{counsellor_id}"


async def revoke_all_links(uow: UnitOfWork, user_id: str) -> int:
    """End every counsellor link of a person; return how many were active."""
    return await uow.collection(LINKS).update(
        {"user_id": user_id, "active": True}, set={"active": False, "revoked_at": iso(uow.now)}
    )
