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
    smtp_timeout_s: float = 10.0
    smtp_connections: int = 4
    sender: str = "Coach emploi <coach@localhost>"
    profile_url: str = "http://127.0.0.1:8001"
    public_url: str = "http://127.0.0.1:8000"

    # How long the mailer waits after the first due action of a day before sending the
    # digest, so that the actions scheduled together arrive in one email.
    digest_delay_s: float = 60.0
    mailer_interval_s: float = 0.5
    planner_interval_s: float = 60.0
    max_attempts: int = 12
    # A message still "sending" after this long was cut by a process that stopped: sent again once.
    stale_claim_s: float = 300.0
    # Signed links: unsubscribe links must keep working long after the email was read.
    unsubscribe_link_days: int = 400
    survey_link_days: int = 60
