"""Settings of the diagnostic service (variables prefixed ``DIAGNOSTIC_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class DiagnosticSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore", env_prefix="DIAGNOSTIC_")
    service_name = "diagnostic"
    default_port = 8002

    market_dir: Path | None = Field(
        None,
        description="Folder of the official market-statistics files to import "
        "(default: DATA_DIR/market, else DATA_DIR/market_samples).",
    )
    market_reload_interval_s: float = Field(
        30.0,
        ge=0,
        description="How often the service checks for a new import (0: never).",
    )

    def resolved_market_dir(self) -> Path | None:
        """Return the folder of market files to import, if any."""
        if self.market_dir is not None:
            return self.market_dir
        for name in ("market", "market_samples"):
            if (self.data_dir / name).is_dir():
                return self.data_dir / name
        return None
