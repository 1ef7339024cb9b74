"""Settings of the notifications service (variables prefixed ``NOTIFICATIONS_``)."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore", env_prefix="NOTIFICATIONS_")
    service_name = "notifications"
    default_port = 8004

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    sender: str = "Coach emploi <coach@localhost>"
    profile_url: str = "http://127.0.0.1:8001"
    public_url: str = "http://127.0.0.1:8000"
