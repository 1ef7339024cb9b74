"""Help requests, from the store's side: asked by the person (from the plan or directly), the sharing choice,
documents, cancellation."""

from __future__ import annotations

import base64
from typing import Any

from services.volunteers import help_requests
from services.volunteers.disclosure import document_info, request_view
from services.volunteers.documents import CheckedDocument, check_document
from services.volunteers.help_requests import RequestStatus
from services.volunteers.lifecycle import LIVE, MatchStatus, end
from services.volunteers.references import Reference
from services.volunteers.repository import (
    DOCUMENT_CONTENTS,
    DOCUMENTS,
    MATCHES,
    PLEDGES,
    REQUESTS,
    blocked_matches,
    by_ids,
    delete_documents,
    new_id,
)
from services.volunteers.request_quota import Quota, check_quota
from services.volunteers.transitions import Collections, apply_transition
from shared.contracts.api.volunteers import DocumentInfo, HelpRequestView, HelpRequestWrite, SharingWrite
from shared.contracts.vocabulary import Help
from shared.envelope import iso
from shared.problems import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from shared.unit_of_work import UnitOfWork

REVIEW_KINDS = frozenset({Help.CV_REVIEW, Help.COVER_LETTER_REVIEW})


ENDED_REQUEST = frozenset({RequestStatus.CANCELLED, RequestStatus.COMPLETED})


async def _already_asked(uow: UnitOfWork, *, user_id: str, body: HelpRequestWrite) -> dict[str, Any] | None:
    """Return the request this one repeats: the same action's, or without a sharing choice one waiting for it."""
    requests = uow.collection(REQUESTS)
    if body.action_id is not None:
        for existing in await requests.find({"subject": user_id, "action_id": body.action_id}):
            if RequestStatus(existing["status"]) not in ENDED_REQUEST:
                return existing
    if body.sharing is None:
        for existing in await requests.find({"subject": user_id, "kind": body.kind.value}):
            if RequestStatus(existing["status"]) is RequestStatus.AWAITING_SHARING_CHOICE:
                return existing  # one waiting request of a kind is enough
    return None


def _check_codes(sharing: SharingWrite, reference: Reference) -> None:
    problems = []
    if sharing.rome_code is not None and sharing.rome_code not in reference.rome.job_groups:
        problems.append(FieldProblem(field="sharing.rome_code", code="unknown_code"))
    if sharing.city_insee is not None and sharing.city_insee not in reference.geo.communes:
        problems.append(FieldProblem(field="sharing.city_insee", code="unknown_code"))
    if problems:
        raise InvalidInputError(problems)


async def own_request(source: Collections, *, user_id: str, request_id: str) -> dict[str, Any]:
    """Return the person's request; 404 when it does not exist or is someone else's."""
    request = await source.collection(REQUESTS).get(request_id)
    if request is None or request["subject"] != user_id:
        raise NotFoundError("help_request")
    return request


async def _open(uow: UnitOfWork, request: dict[str, Any], sharing: SharingWrite, quota: Quota) -> None:
    mine = await uow.collection(REQUESTS).find({"subject": request["subject"]})
    check_quota(kind=Help(request["kind"]), now=uow.now, requests=mine, quota=quota, ignore_request_id=request["_id"])
    changes = help_requests.open_with_sharing(request, sharing, now=uow.now)
    await uow.collection(REQUESTS).update({"_id": request["_id"]}, set=changes)
    request.update(changes)


async def create_request(
    uow: UnitOfWork, *, user_id: str, body: HelpRequestWrite, reference: Reference, quota: Quota
) -> dict[str, Any]:
    """Return the request the person asked for: opened with the sharing choice (409 over the quota), else waiting.

    Requests are made only when the person asks (a button of their plan, the help page), never from
    an event: asking again for the same action, or without a sharing choice while one of the kind is
    still waiting for it, answers that request.
    """
    if body.sharing is not None:
        _check_codes(body.sharing, reference)
    request = await _already_asked(uow, user_id=user_id, body=body)
    if request is None:
        request = help_requests.new_request(
            request_id=new_id("rq"),
            subject=user_id,
            kind=body.kind,
            now=uow.now,
            origin="plan" if body.action_id else "direct",
            action_id=body.action_id,
        )
        await uow.collection(REQUESTS).insert(request)
    waiting = RequestStatus(request["status"]) is RequestStatus.AWAITING_SHARING_CHOICE
    if body.sharing is not None and waiting:
        await _open(uow, request, body.sharing, quota)
    return request


async def choose_sharing(
    uow: UnitOfWork, *, user_id: str, request_id: str, sharing: SharingWrite, reference: Reference, quota: Quota
) -> dict[str, Any]:
    """Record what the job seeker shares on a request made from the plan, and open it for matching."""
    _check_codes(sharing, reference)
    request = await own_request(uow, user_id=user_id, request_id=request_id)
    await _open(uow, request, sharing, quota)
    return request


async def cancel_request(uow: UnitOfWork, *, user_id: str, request_id: str) -> dict[str, Any]:
    """Cancel the request: its live match ends and its documents are deleted."""
    request = await own_request(uow, user_id=user_id, request_id=request_id)
    changes = help_requests.cancel(request, now=uow.now)
    match_id = request.get("current_match_id")
    match = await uow.collection(MATCHES).get(match_id) if match_id else None
    if match is not None and MatchStatus(match["status"]) in LIVE:
        await apply_transition(
            uow, match, end(match, now=uow.now, status=MatchStatus.CANCELLED, reason="job-seeker-cancelled")
        )
    await uow.collection(REQUESTS).update({"_id": request_id}, set=changes)
    await delete_documents(uow, {"request_id": request_id})
    return {**request, **changes, "document_id": None}


async def upload_document(
    uow: UnitOfWork, *, user_id: str, request_id: str, data: bytes, filename: str | None, max_bytes: int
) -> DocumentInfo:
    """Attach the document to review to the request (replacing the previous one)."""
    request = await own_request(uow, user_id=user_id, request_id=request_id)
    if Help(request["kind"]) not in REVIEW_KINDS:
        raise ConflictError("no_document_for_coffee")
    status = RequestStatus(request["status"])
    if status in {RequestStatus.COMPLETED, RequestStatus.CANCELLED}:
        raise ConflictError("request_state", action="upload", status=status.value)
    checked = check_document(data, filename, max_bytes=max_bytes)
    await delete_documents(uow, {"request_id": request_id, "owner": user_id})
    document = await store_document(
        uow, owner=user_id, request_id=request_id, match_id=None, purpose="to-review", data=data, checked=checked
    )
    await uow.collection(REQUESTS).update(
        {"_id": request_id}, set={"document_id": document["_id"], "updated_at": iso(uow.now)}
    )
    info = document_info(document)
    assert info is not None
    return info


async def store_document(
    uow: UnitOfWork,
    *,
    owner: str,
    request_id: str,
    match_id: str | None,
    purpose: str,
    data: bytes,
    checked: CheckedDocument,
) -> dict[str, Any]:
    """Store a checked document (metadata and file); return its metadata."""
    document = {
        "_id": new_id("doc"),
        "owner": owner,
        "request_id": request_id,
        "match_id": match_id,
        "purpose": purpose,
        "filename": checked.filename,
        "content_type": checked.content_type,
        "size": checked.size,
        "sha256": checked.sha256,
        "uploaded_at": iso(uow.now),
        "delete_after": None,
    }
    await uow.collection(DOCUMENTS).insert(document)
    await uow.collection(DOCUMENT_CONTENTS).insert(
        {"_id": document["_id"], "owner": owner, "content_b64": base64.b64encode(data).decode()}
    )
    return document


async def views_of(source: Collections, requests: list[dict[str, Any]], reference: Reference) -> list[HelpRequestView]:
    """Return the requests as their job seeker sees them."""
    matches = await by_ids(source.collection(MATCHES), (r.get("current_match_id") for r in requests))
    volunteers = await by_ids(source.collection(PLEDGES), (m["volunteer"] for m in matches.values()))
    document_ids = [r.get("document_id") for r in requests] + [m.get("review_document_id") for m in matches.values()]
    documents = await by_ids(source.collection(DOCUMENTS), document_ids)
    blocked = await blocked_matches(source, matches.values())
    views = []
    for request in requests:
        match = matches.get(request.get("current_match_id") or "")
        pledge = volunteers.get(match["volunteer"]) if match else None
        cut_off = match is not None and match["_id"] in blocked
        views.append(request_view(request, match, pledge, documents, reference.labels, blocked=cut_off))
    return views


async def requests_of(source: Collections, *, user_id: str, reference: Reference) -> list[HelpRequestView]:
    """Return the person's requests, newest first."""
    requests = await source.collection(REQUESTS).find({"subject": user_id}, sort=[("created_at", -1)])
    return await views_of(source, requests, reference)
