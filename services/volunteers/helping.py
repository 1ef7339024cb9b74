"""Matches, from the store's side: what each party does (answer, review, schedule, complete, feedback,
messages, contact sharing, report, block) and reads. Every function first checks that the person is a
party to the match, and answers 404 otherwise, so that nobody learns what exists for others.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from services.volunteers import lifecycle
from services.volunteers.disclosure import contact_given, document_info, message_view, volunteer_view
from services.volunteers.documents import can_read, check_document
from services.volunteers.lifecycle import LIVE, MatchStatus, Role, Timing, role_of
from services.volunteers.references import Reference
from services.volunteers.repository import (
    BLOCKS,
    DOCUMENT_CONTENTS,
    DOCUMENTS,
    MATCHES,
    MESSAGES,
    PLEDGES,
    REPORTS,
    REQUESTS,
    block_id,
    blocked_matches,
    by_ids,
    delete_documents,
    new_id,
    pair_block_ids,
)
from services.volunteers.requesting import store_document
from services.volunteers.safety import Limits, check_message, should_suspend
from services.volunteers.transitions import Collections, apply_transition
from shared.contracts.api.volunteers import (
    DocumentInfo,
    MessagePosted,
    MessageView,
    PledgeStatus,
    ReportReason,
    VolunteerMatchView,
)
from shared.envelope import iso
from shared.problems import ConflictError, NotFoundError
from shared.unit_of_work import UnitOfWork


async def party_match(source: Collections, *, user_id: str, match_id: str) -> tuple[dict[str, Any], Role]:
    """Return the match and the person's side of it; 404 when they are not a party to it."""
    match = await source.collection(MATCHES).get(match_id)
    role = role_of(match, user_id) if match is not None else None
    if match is None or role is None:
        raise NotFoundError("match")
    return match, role


async def _volunteer_match(uow: UnitOfWork, user_id: str, match_id: str) -> dict[str, Any]:
    match, role = await party_match(uow, user_id=user_id, match_id=match_id)
    if role is not Role.VOLUNTEER:
        raise NotFoundError("match")
    return match


async def accept(uow: UnitOfWork, *, user_id: str, match_id: str, timing: Timing) -> dict[str, Any]:
    """The volunteer accepts the proposal."""
    match = await _volunteer_match(uow, user_id, match_id)
    return await apply_transition(uow, match, lifecycle.accept(match, now=uow.now, timing=timing))


async def decline(uow: UnitOfWork, *, user_id: str, match_id: str) -> dict[str, Any]:
    """The volunteer declines: the request goes to the next volunteer."""
    match = await _volunteer_match(uow, user_id, match_id)
    return await apply_transition(uow, match, lifecycle.decline(match, now=uow.now))


async def return_review(
    uow: UnitOfWork, *, user_id: str, match_id: str, data: bytes, filename: str | None, timing: Timing, max_bytes: int
) -> DocumentInfo:
    """The volunteer uploads the reviewed document: the help is in progress until confirmed."""
    match = await _volunteer_match(uow, user_id, match_id)
    checked = check_document(data, filename, max_bytes=max_bytes)
    await delete_documents(uow, {"match_id": match_id})
    document = await store_document(
        uow,
        owner=user_id,
        request_id=match["request_id"],
        match_id=match_id,
        purpose="review",
        data=data,
        checked=checked,
    )
    await apply_transition(
        uow, match, lifecycle.return_review(match, now=uow.now, timing=timing, document_id=document["_id"])
    )
    info = document_info(document)
    assert info is not None
    return info


async def schedule(uow: UnitOfWork, *, user_id: str, match_id: str, at: datetime, timing: Timing) -> dict[str, Any]:
    """Either side sets (or moves) the coffee's date."""
    match, _ = await party_match(uow, user_id=user_id, match_id=match_id)
    return await apply_transition(uow, match, lifecycle.schedule_coffee(match, now=uow.now, at=at, timing=timing))


async def complete(uow: UnitOfWork, *, user_id: str, match_id: str, timing: Timing) -> dict[str, Any]:
    """Either side says the help took place."""
    match, role = await party_match(uow, user_id=user_id, match_id=match_id)
    return await apply_transition(uow, match, lifecycle.complete(match, now=uow.now, timing=timing, by=role.value))


async def give_feedback(
    uow: UnitOfWork, *, user_id: str, match_id: str, rating: int, comment: str | None
) -> dict[str, Any]:
    """One side rates the help (1-5) with an optional comment, once."""
    match, role = await party_match(uow, user_id=user_id, match_id=match_id)
    changes = lifecycle.feedback(match, role=role, rating=rating, comment=comment, now=uow.now)
    return await apply_transition(uow, match, changes)


async def share_contact(uow: UnitOfWork, *, user_id: str, match_id: str, share: bool) -> dict[str, Any]:
    """One side accepts (or stops accepting) to show their contact details; shown only when both accept."""
    match, role = await party_match(uow, user_id=user_id, match_id=match_id)
    if MatchStatus(match["status"]) not in lifecycle.ENGAGED:
        raise ConflictError("match_state", action="share_contact", status=match["status"])
    return await apply_transition(uow, match, {f"contact_consent.{role.value}": share})


async def blocks_between(source: Collections, first: str, second: str) -> list[dict[str, Any]]:
    """Return the blocks either person set against the other (none, one or both directions)."""
    found = await by_ids(source.collection(BLOCKS), pair_block_ids(first, second))
    return list(found.values())


async def counterpart(source: Collections, *, user_id: str, match_id: str) -> str:
    """Return the other side's user id, only when both accepted to share contact details (for the gateway)."""
    match, role = await party_match(source, user_id=user_id, match_id=match_id)
    if not contact_given(match, await blocks_between(source, match["subject"], match["volunteer"])):
        raise ConflictError("contact_not_shared")
    return str(match["subject"] if role is Role.VOLUNTEER else match["volunteer"])


async def post_message(uow: UnitOfWork, *, user_id: str, match_id: str, body: str, limits: Limits) -> MessagePosted:
    """Relay a message to the other side (stored here; the other side is told by a notification)."""
    match, role = await party_match(uow, user_id=user_id, match_id=match_id)
    messages = uow.collection(MESSAGES)
    sent = await messages.find({"match_id": match_id, "sender": user_id})
    blocks = await blocks_between(uow, match["subject"], match["volunteer"])
    check_message(match, sender=role, now=uow.now, sent=sent, blocks=blocks, limits=limits)
    recipient = match["subject"] if role is Role.VOLUNTEER else match["volunteer"]
    message = {
        "_id": new_id("msg"),
        "match_id": match_id,
        "sender": user_id,
        "recipient": recipient,
        "body": body,
        "sent_at": iso(uow.now),
    }
    await messages.insert(message)
    return MessagePosted(**message_view(message, user_id).model_dump(), recipient_id=recipient)


async def messages_of(source: Collections, *, user_id: str, match_id: str) -> list[MessageView]:
    """Return the match's relayed messages, oldest first."""
    await party_match(source, user_id=user_id, match_id=match_id)
    found = await source.collection(MESSAGES).find({"match_id": match_id}, sort=[("sent_at", 1)])
    return [message_view(m, user_id) for m in found]


async def _block_pair(uow: UnitOfWork, match: dict[str, Any], blocker: str, blocked: str, reason: str) -> None:
    blocks = uow.collection(BLOCKS)
    # Read before writing: a duplicate-key error would abort a MongoDB transaction.
    if await blocks.get(block_id(blocker, blocked)) is None:
        await blocks.insert(
            {
                "_id": block_id(blocker, blocked),
                "blocker": blocker,
                "blocked": blocked,
                "match_id": match["_id"],
                "at": iso(uow.now),
            }
        )
    if MatchStatus(match["status"]) in LIVE:
        await apply_transition(uow, match, lifecycle.end(match, now=uow.now, status=MatchStatus.CLOSED, reason=reason))


async def block(uow: UnitOfWork, *, user_id: str, match_id: str) -> None:
    """One side blocks the other: a live match closes, the two are never matched again, and neither may write
    to the other, read the other's documents or get the other's contact, on any match (``safety.pair_blocked``)."""
    match, role = await party_match(uow, user_id=user_id, match_id=match_id)
    other = match["subject"] if role is Role.VOLUNTEER else match["volunteer"]
    await _block_pair(uow, match, user_id, other, reason=f"blocked-by-{role.value}")


async def report(
    uow: UnitOfWork, *, user_id: str, match_id: str, reason: ReportReason, comment: str | None, limits: Limits
) -> None:
    """One side reports the other: kept for moderation, the pair is blocked, and a volunteer reported by
    several job seekers is taken out of matching."""
    match, role = await party_match(uow, user_id=user_id, match_id=match_id)
    other = match["subject"] if role is Role.VOLUNTEER else match["volunteer"]
    await uow.collection(REPORTS).insert(
        {
            "_id": new_id("rp"),
            "match_id": match_id,
            "reporter": user_id,
            "reporter_role": role.value,
            "reported": other,
            "reason": reason.value,
            "comment": comment,
            "at": iso(uow.now),
        }
    )
    await _block_pair(uow, match, user_id, other, reason=f"reported-by-{role.value}")
    if role is Role.SEEKER:
        reporters = [
            r["reporter"] for r in await uow.collection(REPORTS).find({"reported": other, "reporter_role": "seeker"})
        ]
        if should_suspend(reporters, limits):
            await uow.collection(PLEDGES).update(
                {"_id": other, "status": {"$in": [PledgeStatus.ACTIVE.value, PledgeStatus.PAUSED.value]}},
                set={"status": PledgeStatus.SUSPENDED.value, "updated_at": iso(uow.now)},
            )


async def read_document(source: Collections, *, user_id: str, document_id: str) -> tuple[dict[str, Any], bytes]:
    """Return a document and its file, for its owner or the other side of an engaged, unblocked match (else 404)."""
    document = await source.collection(DOCUMENTS).get(document_id)
    if document is None:
        raise NotFoundError("document")
    matches: Iterable[dict[str, Any]] = []
    blocks: list[dict[str, Any]] = []
    if document["owner"] != user_id:
        matches = await source.collection(MATCHES).find({"request_id": document["request_id"]})
        blocks = await blocks_between(source, user_id, document["owner"])
    if not can_read(document, user_id, matches, blocks):
        raise NotFoundError("document")
    content = await source.collection(DOCUMENT_CONTENTS).get(document_id)
    if content is None:
        raise NotFoundError("document")
    return document, base64.b64decode(content["content_b64"])


async def volunteer_views(
    source: Collections, matches: list[dict[str, Any]], reference: Reference
) -> list[VolunteerMatchView]:
    """Return matches as their volunteer sees them."""
    requests = await by_ids(source.collection(REQUESTS), (m["request_id"] for m in matches))
    document_ids = [r.get("document_id") for r in requests.values()] + [m.get("review_document_id") for m in matches]
    documents = await by_ids(source.collection(DOCUMENTS), document_ids)
    blocked = await blocked_matches(source, matches)
    return [
        volunteer_view(m, requests.get(m["request_id"]), documents, reference.labels, blocked=m["_id"] in blocked)
        for m in matches
    ]


async def matches_of_volunteer(source: Collections, *, user_id: str, reference: Reference) -> list[VolunteerMatchView]:
    """Return the volunteer's matches, newest first."""
    matches = await source.collection(MATCHES).find({"volunteer": user_id}, sort=[("proposed_at", -1)])
    return await volunteer_views(source, matches, reference)
