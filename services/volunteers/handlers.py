"""Event handlers of the volunteers service."""

from __future__ import annotations

from services.volunteers.repository import REQUESTS
from shared.contracts.advice import ActionDue
from shared.contracts.profile import UserErased
from shared.envelope import iso
from shared.unit_of_work import UnitOfWork


async def on_action_due(event: ActionDue, uow: UnitOfWork) -> None:
    """Open a help request when a due action needs a volunteer (the person then chooses what to share)."""
    data = event.data
    if data.needs_help is None:
        return
    requests = uow.collection(REQUESTS)
    request_id = "rq_" + data.action_id.removeprefix("a_")
    if await requests.get(request_id) is not None:
        return
    await requests.insert({
        "_id": request_id, "subject": event.subject, "kind": data.needs_help, "action_id": data.action_id,
        "rome_code": data.rome_code, "city_insee": data.city_insee, "status": "awaiting-sharing-choice",
        "created_at": iso(uow.now),
    })


async def on_user_erased(event: UserErased, uow: UnitOfWork) -> None:
    """Delete the person's help requests."""
    await uow.collection(REQUESTS).delete({"subject": event.subject})
