"""Settings of the volunteers service (variables prefixed ``VOLUNTEERS_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class VolunteersSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore", env_prefix="VOLUNTEERS_")
    service_name = "volunteers"
    default_port = 8005
