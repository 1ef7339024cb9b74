"""Settings of the gateway (variables prefixed ``GATEWAY_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from services.gateway.ratelimit import Action, RateRule
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
    # Limits per client address, per (address, account) and per account, in ``limits`` notation
    # (services/gateway/ratelimit.py says what each counts; docs/API.md why these figures).
    rate_limit_login: RateRule = RateRule(
        per_address="30/minute", per_address_account="10/15 minutes", per_account="50/hour"
    )
    rate_limit_link: RateRule = RateRule(per_address="10/minute", per_address_account="5/hour", per_account="10/hour")
    # A workshop in an agency or a library signs up a group on one connection: bursts are allowed.
    rate_limit_signup: RateRule = RateRule(per_address="15/minute; 120/hour", per_account="5/hour")
    rate_limit_password: RateRule = RateRule(
        per_address="30/minute", per_address_account="5/15 minutes", per_account="20/hour"
    )
    # Addresses (or networks, "10.0.0.0/8") of the reverse proxies in front of the gateway: only their
    # X-Forwarded-For is believed. None by default: the connection's peer is the client.
    trusted_proxies: tuple[str, ...] = ()
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

    def rate_rules(self) -> dict[Action, RateRule]:
        """Return the limits of every rate-limited action."""
        return {
            "login": self.rate_limit_login,
            "link": self.rate_limit_link,
            "signup": self.rate_limit_signup,
            "password": self.rate_limit_password,
        }

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
