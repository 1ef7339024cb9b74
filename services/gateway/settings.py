"""Settings of the gateway (variables prefixed ``GATEWAY_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore", env_prefix="GATEWAY_")
    service_name = "gateway"
    default_port = 8000

    profile_url: str = "http://127.0.0.1:8001"
    diagnostic_url: str = "http://127.0.0.1:8002"
    advice_url: str = "http://127.0.0.1:8003"
    notifications_url: str = "http://127.0.0.1:8004"
    volunteers_url: str = "http://127.0.0.1:8005"
    partners_url: str = "http://127.0.0.1:8006"
    public_url: str = "http://127.0.0.1:8000"
    access_token_minutes: int = 15
    rate_limit_storage: str = "async+memory://"
    # Per client address, then per account (``limits`` notation).
    rate_limit_login: tuple[str, str] = ("30/minute", "10/15 minutes")
    rate_limit_link: tuple[str, str] = ("10/minute", "5/hour")
    rate_limit_signup: tuple[str, str] = ("20/hour", "5/hour")
    cors_origins: tuple[str, ...] = ("http://127.0.0.1:8000", "http://localhost:8000")
    max_body_bytes: int = 1_000_000
    # At most this many calls in flight to each service. A call waits up to upstream_queue_s for a
    # free connection, then the request is refused with 503 and Retry-After: under a wave bigger
    # than the services can take, refusing at once beats queueing until the upstream timeout.
    upstream_connections: int = 64
    upstream_queue_s: float = 1.0
    upstream_timeout_s: float = 10.0
    busy_retry_after_s: int = 3
    # Prometheus scrapes the gateway on a port of its own: the public port never serves /metrics.
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 9000

    def service_urls(self) -> dict[str, str]:
        """Return the internal base URL of every service behind the gateway."""
        return {
            "profile": self.profile_url,
            "diagnostic": self.diagnostic_url,
            "advice": self.advice_url,
            "notifications": self.notifications_url,
            "volunteers": self.volunteers_url,
            "partners": self.partners_url,
        }
