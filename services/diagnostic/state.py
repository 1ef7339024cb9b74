"""What the diagnostic service keeps in memory besides its store: the market data it diagnoses with."""

from __future__ import annotations

from dataclasses import dataclass

from services.diagnostic.market_data import MarketData
from shared.service import ServiceRuntime


@dataclass
class DiagnosticState:
    # Loaded before the consumer starts (bootstrap.load_market), replaced when a new import lands.
    market: MarketData | None = None

    def loaded_market(self) -> MarketData:
        """Return the market data (the consumer starts only once it is loaded)."""
        if self.market is None:
            raise RuntimeError("market data not loaded yet")
        return self.market


DiagnosticRuntime = ServiceRuntime[DiagnosticState]
