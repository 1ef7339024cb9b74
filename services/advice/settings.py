"""Settings of the advice service (variables prefixed ``ADVICE_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class AdviceSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore", env_prefix="ADVICE_")
    service_name = "advice"
    default_port = 8003
