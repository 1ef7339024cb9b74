"""Settings of the advice service (variables prefixed ``ADVICE_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class AdviceSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore", env_prefix="ADVICE_")
    service_name = "advice"
    default_port = 8003

    scheduler_interval_s: float = Field(1.0, gt=0, description="Seconds between two scans for due actions.")
    scheduler_batch: int = Field(500, ge=1, le=10_000, description="Due actions emitted per transaction.")
    scheduler_lease_s: float = Field(10.0, gt=0, description="How long a replica holds the scheduler lease.")
