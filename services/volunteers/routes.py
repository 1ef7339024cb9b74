"""The volunteers service's internal HTTP API (called by the gateway only, with the internal token).

The acting person is in the path (``/internal/users/{user_id}/...``, from the
gateway's verified access token); every route checks that they own what they
touch or are a party to the match, and answers 404 otherwise.
"""

from __future__ import annotations

import time
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from services.volunteers import helping, pledges, pledging, requesting
from services.volunteers.disclosure import volunteer_view
from services.volunteers.documents import DocumentRefusedError
from services.volunteers.export import export_subject
from services.volunteers.lifecycle import Role
from services.volunteers.references import Reference
from services.volunteers.repository import DOCUMENTS, REQUESTS, blocked_matches, by_ids
from services.volunteers.settings import VolunteersSettings
from services.volunteers.state import VolunteersRuntime, VolunteersState
from services.volunteers.upkeep import wake_up
from shared.contracts.api.volunteers import (
    ConfirmationToken,
    ConfirmInput,
    ContactSharingInput,
    Counterpart,
    Counters,
    DocumentInfo,
    FeedbackInput,
    HelpRequestView,
    HelpRequestWrite,
    MessageInput,
    MessagePosted,
    MessageView,
    PauseInput,
    PledgeCreate,
    PledgeCreated,
    PledgeInput,
    PledgeStatus,
    PledgeUpdate,
    PledgeView,
    ReportInput,
    ScheduleInput,
    SharingWrite,
    VolunteerMatchView,
)
from shared.problems import ConflictError, NotFoundError
from shared.service import RuntimeDep, ServiceRuntime

router = APIRouter(prefix="/internal")
COUNTERS_TTL_S = 30.0


def _settings(runtime: ServiceRuntime) -> VolunteersSettings:
    settings = runtime.settings
    assert isinstance(settings, VolunteersSettings)
    return settings


def _reference(runtime: VolunteersRuntime) -> Reference:
    return runtime.state.loaded_reference()


async def _upload(request: Request, runtime: RuntimeDep) -> bytes:
    """Return the raw uploaded file; refuse bodies over the size limit before reading them whole."""
    limit = _settings(runtime).document_max_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise DocumentRefusedError("document_too_large", 413, max_bytes=limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise DocumentRefusedError("document_too_large", 413, max_bytes=limit)
        chunks.append(chunk)
    return b"".join(chunks)


Upload = Annotated[bytes, Depends(_upload)]
FileName = Annotated[str | None, Header(alias="x-filename")]


# --- Pledges ---------------------------------------------------------------------------------------


@router.post("/pledge-checks", status_code=204)
async def check_pledge(body: PledgeInput, runtime: RuntimeDep) -> Response:
    """Validate a pledge against the references without storing it (so a sign-up fails before the account)."""
    reference = _reference(runtime)
    pledges.validated(body, reference.rome, reference.geo)
    return Response(status_code=204)


@router.post("/pledges/{user_id}", response_model=PledgeCreated, status_code=201)
async def create_pledge(user_id: str, body: PledgeCreate, runtime: RuntimeDep) -> PledgeCreated:
    """Store the pledge of a new volunteer account, waiting for the email confirmation; return the token."""
    settings = _settings(runtime)
    async with runtime.unit_of_work() as uow:
        pledge = await pledging.create_pledge(uow, user_id=user_id, pledge=body, reference=_reference(runtime))
        view = await pledging.pledge_view(uow, pledge, now=uow.now)
    token = pledging.confirmation_token(
        user_id, secret=settings.secret_key.get_secret_value(), now=runtime.clock(), hours=settings.confirmation_hours
    )
    return PledgeCreated(**view.model_dump(), confirmation_token=token)


@router.post("/pledges/{user_id}/confirmation", response_model=ConfirmationToken)
async def new_confirmation_token(user_id: str, runtime: RuntimeDep) -> ConfirmationToken:
    """Return a fresh confirmation token (to send the link again) while the pledge waits for confirmation."""
    settings = _settings(runtime)
    pledge = await pledging.pledge_of(runtime.store, user_id)
    if pledge["status"] != PledgeStatus.PENDING_CONFIRMATION:
        raise ConflictError("pledge_state", action="confirm", status=pledge["status"])
    token = pledging.confirmation_token(
        user_id, secret=settings.secret_key.get_secret_value(), now=runtime.clock(), hours=settings.confirmation_hours
    )
    return ConfirmationToken(confirmation_token=token)


@router.post("/pledge-confirmations", response_model=PledgeView)
async def confirm_pledge(body: ConfirmInput, runtime: RuntimeDep) -> PledgeView:
    """Activate the pledge named by a signed, unexpired confirmation token."""
    async with runtime.unit_of_work() as uow:
        pledge = await pledging.confirm_pledge(
            uow, token=body.token, secret=_settings(runtime).secret_key.get_secret_value()
        )
        view = await pledging.pledge_view(uow, pledge, now=uow.now)
    wake_up(runtime)
    return view


@router.get("/pledges/{user_id}", response_model=PledgeView)
async def read_pledge(user_id: str, runtime: RuntimeDep) -> PledgeView:
    pledge = await pledging.pledge_of(runtime.store, user_id)
    return await pledging.pledge_view(runtime.store, pledge, now=runtime.clock())


@router.patch("/pledges/{user_id}", response_model=PledgeView)
async def update_pledge(user_id: str, body: PledgeUpdate, runtime: RuntimeDep) -> PledgeView:
    """Change what the volunteer pledges (only the fields sent)."""
    async with runtime.unit_of_work() as uow:
        pledge = await pledging.update_pledge(uow, user_id=user_id, update=body, reference=_reference(runtime))
        view = await pledging.pledge_view(uow, pledge, now=uow.now)
    wake_up(runtime)
    return view


@router.post("/pledges/{user_id}/pause", response_model=PledgeView)
async def pause_pledge(user_id: str, body: PauseInput, runtime: RuntimeDep) -> PledgeView:
    async with runtime.unit_of_work() as uow:
        pledge = await pledging.pause_pledge(uow, user_id=user_id, until=body.until)
        return await pledging.pledge_view(uow, pledge, now=uow.now)


@router.post("/pledges/{user_id}/resume", response_model=PledgeView)
async def resume_pledge(user_id: str, runtime: RuntimeDep) -> PledgeView:
    async with runtime.unit_of_work() as uow:
        pledge = await pledging.resume_pledge(uow, user_id=user_id)
        view = await pledging.pledge_view(uow, pledge, now=uow.now)
    wake_up(runtime)
    return view


@router.post("/pledges/{user_id}/withdraw", response_model=PledgeView)
async def withdraw_pledge(user_id: str, runtime: RuntimeDep) -> PledgeView:
    """Withdraw the pledge; live matches go to other volunteers."""
    async with runtime.unit_of_work() as uow:
        pledge = await pledging.withdraw_pledge(uow, user_id=user_id)
        view = await pledging.pledge_view(uow, pledge, now=uow.now)
    wake_up(runtime)
    return view


@router.get("/counters", response_model=Counters)
async def counters(runtime: RuntimeDep) -> Counters:
    """Return the public counters (recomputed at most every 30 seconds)."""
    state: VolunteersState = runtime.state
    if state.counters is not None and time.monotonic() - state.counters[0] < COUNTERS_TTL_S:
        return state.counters[1]
    fresh = await pledging.counters(runtime.store)
    state.counters = (time.monotonic(), fresh)
    return fresh


# --- Help requests (as job seeker) -----------------------------------------------------------------


@router.get("/users/{user_id}/help-requests", response_model=list[HelpRequestView])
async def help_requests(user_id: str, runtime: RuntimeDep) -> list[HelpRequestView]:
    return await requesting.requests_of(runtime.store, user_id=user_id, reference=_reference(runtime))


@router.get("/requests/{subject}", response_model=list[HelpRequestView])
async def requests_of(subject: str, runtime: RuntimeDep) -> list[HelpRequestView]:
    """Return the person's help requests (kept for the first-signal test; same as /users/{id}/help-requests)."""
    return await requesting.requests_of(runtime.store, user_id=subject, reference=_reference(runtime))


async def _request_view(runtime: ServiceRuntime, request: dict[str, Any]) -> HelpRequestView:
    (view,) = await requesting.views_of(runtime.store, [request], _reference(runtime))
    return view


@router.post("/users/{user_id}/help-requests", response_model=HelpRequestView, status_code=201)
async def create_help_request(user_id: str, body: HelpRequestWrite, runtime: RuntimeDep) -> HelpRequestView:
    """Make and open a request with the sharing choice; 409 over the weekly quota."""
    async with runtime.unit_of_work() as uow:
        request = await requesting.create_request(
            uow, user_id=user_id, body=body, reference=_reference(runtime), quota=_settings(runtime).quota
        )
    wake_up(runtime)
    return await _request_view(runtime, request)


@router.get("/users/{user_id}/help-requests/{request_id}", response_model=HelpRequestView)
async def help_request(user_id: str, request_id: str, runtime: RuntimeDep) -> HelpRequestView:
    request = await requesting.own_request(runtime.store, user_id=user_id, request_id=request_id)
    return await _request_view(runtime, request)


@router.put("/users/{user_id}/help-requests/{request_id}/sharing", response_model=HelpRequestView)
async def choose_sharing(user_id: str, request_id: str, body: SharingWrite, runtime: RuntimeDep) -> HelpRequestView:
    """Record what the job seeker shares and open the request for matching."""
    async with runtime.unit_of_work() as uow:
        request = await requesting.choose_sharing(
            uow,
            user_id=user_id,
            request_id=request_id,
            sharing=body,
            reference=_reference(runtime),
            quota=_settings(runtime).quota,
        )
    wake_up(runtime)
    return await _request_view(runtime, request)


@router.post("/users/{user_id}/help-requests/{request_id}/cancel", response_model=HelpRequestView)
async def cancel_help_request(user_id: str, request_id: str, runtime: RuntimeDep) -> HelpRequestView:
    async with runtime.unit_of_work() as uow:
        request = await requesting.cancel_request(uow, user_id=user_id, request_id=request_id)
    return await _request_view(runtime, request)


@router.put("/users/{user_id}/help-requests/{request_id}/document", response_model=DocumentInfo, status_code=201)
async def upload_document(
    user_id: str, request_id: str, data: Upload, runtime: RuntimeDep, filename: FileName = None
) -> DocumentInfo:
    """Attach the document to review (PDF or DOCX), replacing the previous one."""
    async with runtime.unit_of_work() as uow:
        return await requesting.upload_document(
            uow,
            user_id=user_id,
            request_id=request_id,
            data=data,
            filename=unquote(filename or ""),
            max_bytes=_settings(runtime).document_max_bytes,
        )


# --- Matches (as either side) ----------------------------------------------------------------------


async def _view_for(
    runtime: ServiceRuntime, user_id: str, match: dict[str, Any]
) -> VolunteerMatchView | HelpRequestView:
    """Return what the acting side sees after an action: their match (volunteer) or their request (job seeker)."""
    if match["volunteer"] == user_id:
        requests = await by_ids(runtime.store.collection(REQUESTS), [match["request_id"]])
        request = requests.get(match["request_id"])
        ids = [request.get("document_id") if request else None, match.get("review_document_id")]
        documents = await by_ids(runtime.store.collection(DOCUMENTS), ids)
        blocked = match["_id"] in await blocked_matches(runtime.store, [match])
        return volunteer_view(match, request, documents, _reference(runtime).labels, blocked=blocked)
    request = await requesting.own_request(runtime.store, user_id=user_id, request_id=match["request_id"])
    return await _request_view(runtime, request)


MatchOrRequest = VolunteerMatchView | HelpRequestView
Side = Annotated[
    Role | None, Query(description="The side the caller acts as (volunteer or seeker); 404 when they are not.")
]


async def _as_side(runtime: ServiceRuntime, user_id: str, match_id: str, side: Role | None) -> None:
    """Refuse (404) a caller who is a party to the match but not on the side the public route is for."""
    if side is not None:
        _, role = await helping.party_match(runtime.store, user_id=user_id, match_id=match_id)
        if role is not side:
            raise NotFoundError("match")


@router.get("/users/{user_id}/matches", response_model=list[VolunteerMatchView])
async def volunteer_matches(user_id: str, runtime: RuntimeDep) -> list[VolunteerMatchView]:
    """Return the volunteer's matches, newest first."""
    return await helping.matches_of_volunteer(runtime.store, user_id=user_id, reference=_reference(runtime))


@router.get("/users/{user_id}/matches/{match_id}", response_model=MatchOrRequest)
async def read_match(user_id: str, match_id: str, runtime: RuntimeDep, side: Side = None) -> MatchOrRequest:
    await _as_side(runtime, user_id, match_id, side)
    match, _ = await helping.party_match(runtime.store, user_id=user_id, match_id=match_id)
    return await _view_for(runtime, user_id, match)


@router.post("/users/{user_id}/matches/{match_id}/accept", response_model=MatchOrRequest)
async def accept(user_id: str, match_id: str, runtime: RuntimeDep, side: Side = None) -> MatchOrRequest:
    await _as_side(runtime, user_id, match_id, side)
    async with runtime.unit_of_work() as uow:
        match = await helping.accept(uow, user_id=user_id, match_id=match_id, timing=_settings(runtime).timing)
    return await _view_for(runtime, user_id, match)


@router.post("/users/{user_id}/matches/{match_id}/decline", response_model=MatchOrRequest)
async def decline(user_id: str, match_id: str, runtime: RuntimeDep, side: Side = None) -> MatchOrRequest:
    await _as_side(runtime, user_id, match_id, side)
    async with runtime.unit_of_work() as uow:
        match = await helping.decline(uow, user_id=user_id, match_id=match_id)
    wake_up(runtime)
    return await _view_for(runtime, user_id, match)


@router.put("/users/{user_id}/matches/{match_id}/review", response_model=DocumentInfo, status_code=201)
async def return_review(
    user_id: str, match_id: str, data: Upload, runtime: RuntimeDep, filename: FileName = None, side: Side = None
) -> DocumentInfo:
    """The volunteer uploads the reviewed document."""
    await _as_side(runtime, user_id, match_id, side)
    settings = _settings(runtime)
    async with runtime.unit_of_work() as uow:
        return await helping.return_review(
            uow,
            user_id=user_id,
            match_id=match_id,
            data=data,
            filename=unquote(filename or ""),
            timing=settings.timing,
            max_bytes=settings.document_max_bytes,
        )


@router.post("/users/{user_id}/matches/{match_id}/schedule", response_model=MatchOrRequest)
async def schedule(
    user_id: str, match_id: str, body: ScheduleInput, runtime: RuntimeDep, side: Side = None
) -> MatchOrRequest:
    await _as_side(runtime, user_id, match_id, side)
    async with runtime.unit_of_work() as uow:
        match = await helping.schedule(
            uow, user_id=user_id, match_id=match_id, at=body.at, timing=_settings(runtime).timing
        )
    return await _view_for(runtime, user_id, match)


@router.post("/users/{user_id}/matches/{match_id}/complete", response_model=MatchOrRequest)
async def complete(user_id: str, match_id: str, runtime: RuntimeDep, side: Side = None) -> MatchOrRequest:
    await _as_side(runtime, user_id, match_id, side)
    async with runtime.unit_of_work() as uow:
        match = await helping.complete(uow, user_id=user_id, match_id=match_id, timing=_settings(runtime).timing)
    return await _view_for(runtime, user_id, match)


@router.post("/users/{user_id}/matches/{match_id}/feedback", response_model=MatchOrRequest)
async def feedback(
    user_id: str, match_id: str, body: FeedbackInput, runtime: RuntimeDep, side: Side = None
) -> MatchOrRequest:
    await _as_side(runtime, user_id, match_id, side)
    async with runtime.unit_of_work() as uow:
        match = await helping.give_feedback(
            uow, user_id=user_id, match_id=match_id, rating=body.rating, comment=body.comment
        )
    return await _view_for(runtime, user_id, match)


@router.put("/users/{user_id}/matches/{match_id}/contact-sharing", response_model=MatchOrRequest)
async def contact_sharing(
    user_id: str, match_id: str, body: ContactSharingInput, runtime: RuntimeDep, side: Side = None
) -> MatchOrRequest:
    await _as_side(runtime, user_id, match_id, side)
    async with runtime.unit_of_work() as uow:
        match = await helping.share_contact(uow, user_id=user_id, match_id=match_id, share=body.share)
    return await _view_for(runtime, user_id, match)


@router.get("/users/{user_id}/matches/{match_id}/counterpart", response_model=Counterpart)
async def counterpart(user_id: str, match_id: str, runtime: RuntimeDep, side: Side = None) -> Counterpart:
    """Return the other side's id, only when both accepted to share contact details."""
    await _as_side(runtime, user_id, match_id, side)
    return Counterpart(user_id=await helping.counterpart(runtime.store, user_id=user_id, match_id=match_id))


@router.get("/users/{user_id}/matches/{match_id}/messages", response_model=list[MessageView])
async def messages(user_id: str, match_id: str, runtime: RuntimeDep, side: Side = None) -> list[MessageView]:
    await _as_side(runtime, user_id, match_id, side)
    return await helping.messages_of(runtime.store, user_id=user_id, match_id=match_id)


@router.post("/users/{user_id}/matches/{match_id}/messages", response_model=MessagePosted, status_code=201)
async def post_message(
    user_id: str, match_id: str, body: MessageInput, runtime: RuntimeDep, side: Side = None
) -> MessagePosted:
    await _as_side(runtime, user_id, match_id, side)
    async with runtime.unit_of_work() as uow:
        return await helping.post_message(
            uow, user_id=user_id, match_id=match_id, body=body.body, limits=_settings(runtime).limits
        )


@router.post("/users/{user_id}/matches/{match_id}/report", status_code=204)
async def report(user_id: str, match_id: str, body: ReportInput, runtime: RuntimeDep, side: Side = None) -> Response:
    """Report the other side: kept for moderation; the pair is blocked."""
    await _as_side(runtime, user_id, match_id, side)
    async with runtime.unit_of_work() as uow:
        await helping.report(
            uow,
            user_id=user_id,
            match_id=match_id,
            reason=body.reason,
            comment=body.comment,
            limits=_settings(runtime).limits,
        )
    wake_up(runtime)
    return Response(status_code=204)


@router.post("/users/{user_id}/matches/{match_id}/block", status_code=204)
async def block(user_id: str, match_id: str, runtime: RuntimeDep, side: Side = None) -> Response:
    """Block the other side: a live match closes, the two are never matched again and are cut off from each other."""
    await _as_side(runtime, user_id, match_id, side)
    async with runtime.unit_of_work() as uow:
        await helping.block(uow, user_id=user_id, match_id=match_id)
    wake_up(runtime)
    return Response(status_code=204)


# --- Documents, export -----------------------------------------------------------------------------


@router.get("/users/{user_id}/documents/{document_id}")
async def download(user_id: str, document_id: str, runtime: RuntimeDep) -> Response:
    """Return the file, to its owner or the other side of an engaged match only (never across a block)."""
    document, data = await helping.read_document(runtime.store, user_id=user_id, document_id=document_id)
    return Response(
        content=data,
        media_type=document["content_type"],
        headers={
            "content-disposition": f'attachment; filename="{document["filename"]}"',
            "x-content-type-options": "nosniff",
            "cache-control": "private, no-store",
        },
    )


@router.get("/users/{subject}/export")
async def export(subject: str, runtime: RuntimeDep) -> dict[str, Any]:
    """Return everything the service holds about the person, as job seeker and as volunteer."""
    return await export_subject(runtime.store, subject)
