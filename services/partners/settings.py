"""Settings of the partners feed (variables prefixed ``PARTNERS_``)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class PartnersSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore", env_prefix="PARTNERS_")
    service_name = "partners"
    default_port = 8006
    # Nobody waits on this service's events (a partner's feed): its consumer polls at the idle pace.
    background_consumer: bool = True

    # Partner id -> key for its pseudonyms (``PARTNERS_KEYS='{"example-partner": "..."}'``).
    keys: dict[str, SecretStr] = Field(
        default_factory=lambda: {"example-partner": SecretStr("development-only-partner-key-change-me")}
    )
