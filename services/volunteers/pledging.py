"""Pledges, from the store's side: sign-up, confirmation, changes, pause, withdrawal, and the public counters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from services.volunteers import pledges
from services.volunteers.confirmation import read_confirmation, sign_confirmation
from services.volunteers.lifecycle import LIVE, MatchStatus, end, month_of, monthly_load
from services.volunteers.references import Reference
from services.volunteers.repository import MATCHES, PLEDGES
from services.volunteers.transitions import Collections, apply_transition
from shared.contracts.api.volunteers import (
    Counters,
    KindCounter,
    PledgeCreate,
    PledgeStats,
    PledgeStatus,
    PledgeUpdate,
    PledgeView,
)
from shared.contracts.vocabulary import Help
from shared.problems import ConflictError, NotFoundError
from shared.store import DuplicateKeyError
from shared.unit_of_work import UnitOfWork


async def pledge_of(source: Collections, user_id: str) -> dict[str, Any]:
    """Return the volunteer's pledge; 404 when there is none."""
    pledge = await source.collection(PLEDGES).get(user_id)
    if pledge is None:
        raise NotFoundError("pledge")
    return pledge


async def pledge_view(source: Collections, pledge: Mapping[str, Any], *, now: datetime) -> PledgeView:
    """Return the pledge with this month's load and the feedback received."""
    matches = await source.collection(MATCHES).find({"volunteer": pledge["_id"]})
    this_month = monthly_load(matches, month_of(now))[pledge["_id"]]
    ratings = [m["feedback"]["seeker"]["rating"] for m in matches if (m.get("feedback") or {}).get("seeker")]
    stats = PledgeStats(
        helps_this_month=this_month,
        remaining_this_month=max(0, pledge["monthly_capacity"] - this_month),
        completed=sum(1 for m in matches if m["status"] == MatchStatus.COMPLETED),
        average_rating=round(sum(ratings) / len(ratings), 2) if ratings else None,
        ratings=len(ratings),
    )
    return PledgeView.model_validate({**pledge, "stats": stats})


def confirmation_token(user_id: str, *, secret: str, now: datetime, hours: int) -> str:
    """Return the signed token of the confirmation link."""
    return sign_confirmation(user_id, secret=secret, expires_at=now + timedelta(hours=hours))


async def create_pledge(uow: UnitOfWork, *, user_id: str, pledge: PledgeCreate, reference: Reference) -> dict[str, Any]:
    """Store a new pledge waiting for confirmation; 409 when the person already pledged."""
    doc = pledges.new_pledge(user_id, pledge, now=uow.now, rome=reference.rome, geo=reference.geo)
    try:
        await uow.collection(PLEDGES).insert(doc)
    except DuplicateKeyError:
        raise ConflictError("pledge_exists") from None
    return doc


async def confirm_pledge(uow: UnitOfWork, *, token: str, secret: str) -> dict[str, Any]:
    """Activate the pledge named by a valid confirmation token; 409 when the link is invalid or expired."""
    user_id = read_confirmation(token, secret=secret, now=uow.now)
    if user_id is None:
        raise ConflictError("confirmation_invalid")
    return await change_pledge(uow, user_id, lambda pledge: pledges.confirmed(pledge, now=uow.now))


async def change_pledge(
    uow: UnitOfWork, user_id: str, change: Callable[[Mapping[str, Any]], Mapping[str, Any]]
) -> dict[str, Any]:
    """Apply a pure change to the pledge (a function of the pledge returning the fields); return it as written."""
    collection = uow.collection(PLEDGES)
    pledge = await pledge_of(uow, user_id)
    changes: Mapping[str, Any] = change(pledge)
    if changes:
        await collection.update({"_id": user_id}, set=changes)
    return {**pledge, **changes}


async def update_pledge(uow: UnitOfWork, *, user_id: str, update: PledgeUpdate, reference: Reference) -> dict[str, Any]:
    """Apply a partial change of the pledge."""
    return await change_pledge(
        uow, user_id, lambda p: pledges.updated(p, update, now=uow.now, rome=reference.rome, geo=reference.geo)
    )


async def pause_pledge(uow: UnitOfWork, *, user_id: str, until: date | None) -> dict[str, Any]:
    """Pause matching for the volunteer (help already accepted goes on)."""
    return await change_pledge(uow, user_id, lambda p: pledges.paused(p, until=until, now=uow.now))


async def resume_pledge(uow: UnitOfWork, *, user_id: str) -> dict[str, Any]:
    return await change_pledge(uow, user_id, lambda p: pledges.resumed(p, now=uow.now))


async def withdraw_pledge(uow: UnitOfWork, *, user_id: str) -> dict[str, Any]:
    """Withdraw: the pledge stops and every live match goes to another volunteer."""
    pledge = await change_pledge(uow, user_id, lambda p: pledges.withdrawn(p, now=uow.now))
    for match in await uow.collection(MATCHES).find({"volunteer": user_id}):
        if MatchStatus(match["status"]) in LIVE:
            await apply_transition(
                uow, match, end(match, now=uow.now, status=MatchStatus.CLOSED, reason="volunteer-withdrew")
            )
    return pledge


async def counters(source: Collections) -> Counters:
    """Return the public counters (aggregates only)."""
    active_count = 0
    pledged = 0
    by_kind = {kind: [0, 0] for kind in Help}
    async for pledge in source.collection(PLEDGES).iterate({"status": PledgeStatus.ACTIVE.value}):
        active_count += 1
        pledged += pledge["monthly_capacity"]
        for kind in pledge["kinds"]:
            by_kind[Help(kind)][0] += 1
    matches = source.collection(MATCHES)
    completed = 0
    ratings: list[int] = []
    async for match in matches.iterate({"status": MatchStatus.COMPLETED.value}):
        completed += 1
        by_kind[Help(match["kind"])][1] += 1
        ratings += [f["rating"] for f in (match.get("feedback") or {}).values() if f and "rating" in f]
    in_progress = await matches.count({"status": {"$in": [MatchStatus.ACCEPTED.value, MatchStatus.IN_PROGRESS.value]}})
    return Counters(
        active_volunteers=active_count,
        helps_pledged_per_month=pledged,
        helps_completed=completed,
        helps_in_progress=in_progress,
        by_kind={kind: KindCounter(volunteers=v, completed=c) for kind, (v, c) in by_kind.items()},
        average_rating=round(sum(ratings) / len(ratings), 2) if ratings else None,
    )
