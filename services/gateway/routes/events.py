"""Live events for the person's open pages (server-sent events): every save, every diagnosis, every plan."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel
from sse_starlette.sse import EventSourceResponse

from services.gateway.deps import CurrentUser, ServicesDep, SettingsDep
from services.gateway.live import ACCOUNT_ERASED, PROFILE_SAVED, Revisions, settle, settled_event
from services.gateway.problems import PROBLEM_RESPONSES
from services.gateway.tokens import Principal, issue_access_token, read_access_token
from services.gateway.upstream import Services, UpstreamError
from shared.contracts.diagnostic import DiagnosisReady
from shared.envelope import utc_now

router = APIRouter(prefix="/v1/me", tags=["live"], responses=PROBLEM_RESPONSES)
TICKET_MINUTES = 1
# After a save's diagnosis is recorded, how long a diagnosis-ready of the diagnostic service may take to
# come through the broker before the page is told that nothing changed.
ANNOUNCED_GRACE_S = 1.0


class Ticket(BaseModel):
    ticket: str
    expires_in: int


@router.post("/events/ticket", response_model=Ticket)
async def events_ticket(user: CurrentUser, settings: SettingsDep, services: ServicesDep) -> Ticket:
    """Return a one-minute ticket to open the live stream with EventSource (which cannot send headers).

    An access token outlives an erasure by a few minutes: the ticket is refused (401 ``session_expired``)
    once the account is gone, as a refresh of that session would be.
    """
    await refuse_erased(services, user.user_id)
    ticket = issue_access_token(
        Principal(user.user_id, user.role),
        secret=settings.secret_key.get_secret_value(),
        now=utc_now(),
        minutes=TICKET_MINUTES,
        kind="events",
    )
    return Ticket(ticket=ticket, expires_in=int(timedelta(minutes=TICKET_MINUTES).total_seconds()))


async def refuse_erased(services: Services, user_id: str) -> None:
    """Answer 401 ``session_expired`` when the account is gone (its tokens and tickets live a little longer)."""
    try:
        await services.profile.read_contact(user_id)
    except UpstreamError as error:
        if error.status == 404:
            raise UpstreamError(401, {"code": "session_expired"}) from None
        raise


def diagnosis_revisions(services: Services, user_id: str) -> Callable[[], Awaitable[Revisions]]:
    """Return a reader of the profile revision each of the person's diagnoses reflects."""

    async def read() -> Revisions:
        views = await services.diagnostic.read_diagnoses(user_id)
        return {str(v["project_id"]): int(v["profile_revision"]) for v in views or []}

    return read


@router.get(
    "/events",
    response_class=EventSourceResponse,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "profile-saved, diagnosis-ready (changed or not) and advice-ready events; "
            "account-erased ends the stream",
        }
    },
)
async def live_events(
    request: Request,
    settings: SettingsDep,
    services: ServicesDep,
    ticket: Annotated[str | None, Query(max_length=2000)] = None,
) -> EventSourceResponse:
    """Stream ``profile-saved``, ``diagnosis-ready`` and ``advice-ready`` for the person (header, or ``?ticket=``).

    Every save is followed by a ``diagnosis-ready``: the diagnostic service's when the diagnosis changed
    (``changed: true``), else one saying the diagnosis reflects the save and is the same (``changed: false``).
    When the account is erased the stream sends ``account-erased`` and closes; it does not open again
    (401 ``session_expired``).
    """
    header = request.headers.get("authorization", "")
    secret = settings.secret_key.get_secret_value()
    if header.lower().startswith("bearer "):
        user = read_access_token(header[7:], secret=secret)
    else:
        # A ticket rides in the URL: it opens this stream only, never another route.
        user = read_access_token(ticket, secret=secret, kind="events") if ticket else None
    if user is None:
        raise HTTPException(status_code=401, detail="not_authenticated")
    await refuse_erased(services, user.user_id)
    hub = request.app.state.live
    queue = hub.open(user.user_id)
    read_revisions = diagnosis_revisions(services, user.user_id)
    announced = {"revision": -1}  # the newest revision a diagnosis-ready of the diagnostic service was for

    async def tell_when_settled(saved: dict[str, Any]) -> None:
        reached = await settle(saved, read_revisions)
        await asyncio.sleep(ANNOUNCED_GRACE_S)
        if announced["revision"] < int(saved.get("revision") or 0):
            with contextlib.suppress(asyncio.QueueFull):  # a page that stopped reading rereads when it comes back
                queue.put_nowait(settled_event(saved, reached=reached))

    async def stream() -> AsyncIterator[dict[str, Any]]:
        settling: asyncio.Task[None] | None = None
        try:
            yield {"event": "ready", "data": "{}"}
            while True:
                try:
                    async with asyncio.timeout(15):
                        event = await queue.get()
                except TimeoutError:
                    if await request.is_disconnected():
                        return
                    continue
                if event["type"] == DiagnosisReady.topic and event.get("changed"):
                    announced["revision"] = max(announced["revision"], int(event.get("revision") or 0))
                if event["type"] == PROFILE_SAVED:
                    if settling is not None:
                        settling.cancel()  # the newer save is the one to wait for
                    settling = asyncio.create_task(tell_when_settled(event))
                yield {"event": event["type"], "data": orjson.dumps(event).decode()}
                if event["type"] == ACCOUNT_ERASED:
                    return
        finally:
            if settling is not None:
                settling.cancel()
            hub.close(user.user_id, queue)

    return EventSourceResponse(stream(), ping=15)
