"""Live events for the person's open pages (server-sent events)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel
from sse_starlette.sse import EventSourceResponse

from services.gateway.deps import CurrentUser, ServicesDep, SettingsDep
from services.gateway.problems import PROBLEM_RESPONSES
from services.gateway.tokens import Principal, issue_access_token, read_access_token
from services.gateway.upstream import UpstreamError
from shared.envelope import utc_now

router = APIRouter(prefix="/v1/me", tags=["live"], responses=PROBLEM_RESPONSES)
TICKET_MINUTES = 1


class Ticket(BaseModel):
    ticket: str
    expires_in: int


@router.post("/events/ticket", response_model=Ticket)
async def events_ticket(user: CurrentUser, settings: SettingsDep, services: ServicesDep) -> Ticket:
    """Return a one-minute ticket to open the live stream with EventSource (which cannot send headers).

    An access token outlives an erasure by a few minutes: the ticket is refused (401 ``session_expired``)
    once the account is gone, as a refresh of that session would be.
    """
    try:
        await services.call("profile", "GET", f"/internal/contacts/{user.user_id}")
    except UpstreamError as error:
        if error.status == 404:
            raise UpstreamError(401, {"code": "session_expired"}) from None
        raise
    ticket = issue_access_token(
        Principal(user.user_id, user.role),
        secret=settings.secret_key.get_secret_value(),
        now=utc_now(),
        minutes=TICKET_MINUTES,
        kind="events",
    )
    return Ticket(ticket=ticket, expires_in=int(timedelta(minutes=TICKET_MINUTES).total_seconds()))


@router.get(
    "/events",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "diagnosis-ready and advice-ready events"}},
)
async def live_events(
    request: Request, settings: SettingsDep, ticket: Annotated[str | None, Query(max_length=2000)] = None
) -> EventSourceResponse:
    """Stream ``diagnosis-ready`` and ``advice-ready`` for the person (Authorization header, or ``?ticket=``)."""
    header = request.headers.get("authorization", "")
    secret = settings.secret_key.get_secret_value()
    if header.lower().startswith("bearer "):
        user = read_access_token(header[7:], secret=secret)
    else:
        # A ticket rides in the URL: it opens this stream only, never another route.
        user = read_access_token(ticket, secret=secret, kind="events") if ticket else None
    if user is None:
        raise HTTPException(status_code=401, detail="not_authenticated")
    hub = request.app.state.live
    queue = hub.open(user.user_id)

    async def stream() -> AsyncIterator[dict[str, Any]]:
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
                yield {"event": event["type"], "data": orjson.dumps(event).decode()}
        finally:
            hub.close(user.user_id, queue)

    return EventSourceResponse(stream(), ping=15)
