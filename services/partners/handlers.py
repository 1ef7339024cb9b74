"""Event handlers of the partners feed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from services.partners.feed import partner_events
from services.partners.repository import CONSENTS, PERSONAL_DATA
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.envelope import Event
from shared.personal_data import erase_person
from shared.unit_of_work import UnitOfWork


async def on_profile_updated(event: ProfileUpdated, uow: UnitOfWork) -> None:
    """Remember whether the person consents to partner events (the newest revision wins)."""
    consents = uow.collection(CONSENTS)
    current = await consents.get(event.subject)
    if current is not None and current["revision"] >= event.data.revision:
        return
    await consents.put(
        {"_id": event.subject, "revision": event.data.revision, "partner_events": event.data.consents.partner_events}
    )


async def on_user_erased(event: UserErased, uow: UnitOfWork) -> None:
    """Forget the person."""
    await erase_person(uow, PERSONAL_DATA, event.subject)


def on_shared_event(keys: Mapping[str, str]) -> Callable[[Any, UnitOfWork], Awaitable[None]]:
    """Return the handler that republishes an event for every partner, if the person consented."""

    async def handle(event: Event, uow: UnitOfWork) -> None:
        consent = await uow.collection(CONSENTS).get(event.subject)
        if consent is None or not consent["partner_events"]:
            return
        uow.publish(*partner_events(event, keys))

    return handle
