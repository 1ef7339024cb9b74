"""Event handlers of the volunteers service: thin adapters from an event to the unit of work."""

from __future__ import annotations

from services.volunteers.erasure import erase_subject
from services.volunteers.requesting import request_from_action
from shared.contracts.advice import ActionDue
from shared.contracts.profile import UserErased
from shared.unit_of_work import UnitOfWork


async def on_action_due(event: ActionDue, uow: UnitOfWork) -> None:
    """Make a help request when a due action needs a volunteer (the person then chooses what to share)."""
    await request_from_action(uow, event)


async def on_user_erased(event: UserErased, uow: UnitOfWork) -> None:
    """Delete everything about the person, as job seeker and as volunteer."""
    await erase_subject(uow, event.subject)
