"""What the volunteers service keeps in memory besides its store."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from services.volunteers.references import Reference
from shared.contracts.api.volunteers import Counters
from shared.service import ServiceRuntime


@dataclass
class VolunteersState:
    reference: Reference | None = None  # job groups, domains, communes, mobility: read at start-up
    # Set to ask the upkeep loop for a round now (a request opened, a pledge became active, a match ended).
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    counters: tuple[float, Counters] | None = None  # the public counters and when (monotonic) they were read

    def loaded_reference(self) -> Reference:
        """Return the reference data (the service starts serving once it is loaded)."""
        if self.reference is None:
            raise RuntimeError("the volunteers' reference data is not loaded yet")
        return self.reference


VolunteersRuntime = ServiceRuntime[VolunteersState]
