"""Event handlers of the diagnostic service: thin adapters around ``diagnose``.

The handlers need the market data loaded at startup; they read it from the
runtime when an event arrives (the consumer starts only after the startup
finished), so a reload after a re-import is picked up by the next event.
"""

from __future__ import annotations

from collections.abc import Callable

from services.diagnostic.market_data import MarketData
from services.diagnostic.publication import forget_removed_projects, record_diagnosis
from services.diagnostic.repository import PERSONAL_DATA, save_person
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.personal_data import erase_person
from shared.unit_of_work import UnitOfWork


class DiagnosticHandlers:
    """The handlers, bound to the service's market data."""

    def __init__(self, market: Callable[[], MarketData]) -> None:
        self._market = market

    async def on_profile_updated(self, event: ProfileUpdated, uow: UnitOfWork) -> None:
        """Keep the person's facts, diagnose each project; publish ``diagnosis-ready`` only on change."""
        basis = event.data
        if not await save_person(uow, event.subject, basis.model_dump(mode="json"), basis.revision):
            return  # a newer revision was already applied
        market = self._market()
        for project in basis.projects:
            await record_diagnosis(uow, market, event.subject, basis, project)
        await forget_removed_projects(uow, event.subject, basis)

    async def on_user_erased(self, event: UserErased, uow: UnitOfWork) -> None:
        """Delete everything held about the person: diagnoses and profile facts."""
        await erase_person(uow, PERSONAL_DATA, event.subject)
