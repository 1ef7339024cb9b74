"""Event handlers of the volunteers service: thin adapters from an event to the unit of work.

The service no longer follows ``action-due``: a help request is made only when the person asks for
it (the button of an action of their plan, or the help page), never by an event on their behalf.
"""

from __future__ import annotations

from services.volunteers.privacy import PERSONAL_DATA
from shared.contracts.profile import UserErased
from shared.personal_data import erase_person
from shared.unit_of_work import UnitOfWork


async def on_user_erased(event: UserErased, uow: UnitOfWork) -> None:
    """Delete everything about the person, as job seeker and as volunteer."""
    await erase_person(uow, PERSONAL_DATA, event.subject)
