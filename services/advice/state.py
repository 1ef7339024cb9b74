"""What the advice service keeps in memory besides its store: its texts and the reference labels."""

from __future__ import annotations

from dataclasses import dataclass

from services.advice.render import Wording
from shared.service import ServiceRuntime


@dataclass
class AdviceState:
    wording: Wording | None = None  # read when the app starts (bootstrap.subscriptions)

    def loaded_wording(self) -> Wording:
        """Return the catalogue and labels (a route is served only once the app has started)."""
        if self.wording is None:
            raise RuntimeError("the advice catalogue is not loaded yet")
        return self.wording


AdviceRuntime = ServiceRuntime[AdviceState]
