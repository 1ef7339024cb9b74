"""Settings of the profile service (variables prefixed ``PROFILE_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ProfileSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore", env_prefix="PROFILE_")
    service_name = "profile"
    default_port = 8001

    notifications_url: str = "http://127.0.0.1:8004"
