"""Settings of the diagnostic service (variables prefixed ``DIAGNOSTIC_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class DiagnosticSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore", env_prefix="DIAGNOSTIC_")
    service_name = "diagnostic"
    default_port = 8002
