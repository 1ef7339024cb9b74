"""One settings base for every service: environment variables, refusing insecure defaults.

Variables shared by all services have a fixed name (``KAFKA_BOOTSTRAP_SERVERS``);
per-service ones carry the service prefix (``PROFILE_PORT``, ``PROFILE_STORE_URL``).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import ClassVar, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Development secrets are public knowledge (they are in this file): outside
# development they are refused, so a forgotten variable cannot ship.
DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"  # noqa: S105
DEVELOPMENT_INTERNAL_TOKEN = "development-only-internal-token"  # noqa: S105


def default_data_dir() -> Path:
    """Return ../shared/data when it sits beside the repository, else ./data."""
    beside = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    return beside if beside.is_dir() else Path("data")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class ServiceSettings(BaseSettings):
    """Settings every service has. Subclasses set ``service_name`` and ``env_prefix``."""

    model_config = SettingsConfigDict(extra="ignore", env_prefix="SERVICE_")
    service_name: ClassVar[str] = "service"
    default_port: ClassVar[int] = 8100

    environment: Environment = Field(
        Environment.DEVELOPMENT,
        validation_alias="ENVIRONMENT",
        description="development, test or production; every environment but development refuses default secrets.",
    )
    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092",
        validation_alias="KAFKA_BOOTSTRAP_SERVERS",
        description="Comma-separated Kafka bootstrap servers.",
    )
    topic_prefix: str = Field(
        "",
        validation_alias="TOPIC_PREFIX",
        description="Prefix added to every topic name (isolates test runs on one broker).",
    )
    kafka_session_timeout_ms: int = Field(2000, validation_alias="KAFKA_SESSION_TIMEOUT_MS")
    kafka_heartbeat_interval_ms: int = Field(500, validation_alias="KAFKA_HEARTBEAT_INTERVAL_MS")
    kafka_fetch_max_wait_ms: int = Field(
        50,
        ge=1,
        le=5000,
        validation_alias="KAFKA_FETCH_MAX_WAIT_MS",
        description=(
            "How long a fetch waits for new messages while events flow (after KAFKA_IDLE_AFTER_S without any, "
            "KAFKA_IDLE_FETCH_MAX_WAIT_MS). The local broker (tansu) answers a fetch only when this "
            "wait ends, even if messages arrived: keep it short locally (measured idle cost of the whole local "
            "system: 10 ms = 1.2 cores, 50 ms = 0.4, 100 ms = 0.25); Apache Kafka answers as soon as data "
            "arrives, so 500 (its default) costs nothing there. With tansu on s3:// storage every fetch lists "
            "objects: use 500 there too."
        ),
    )
    kafka_idle_fetch_max_wait_ms: int = Field(
        500,
        ge=1,
        le=5000,
        validation_alias="KAFKA_IDLE_FETCH_MAX_WAIT_MS",
        description=(
            "The fetch wait of a consumer that received nothing for KAFKA_IDLE_AFTER_S (shared/pace.py): "
            "an idle system polls ten times less often; the first event after the quiet spell waits at most "
            "about this long per hop, and its batch brings the short wait back."
        ),
    )
    kafka_idle_batch_timeout_ms: int = Field(
        250,
        ge=1,
        le=5000,
        validation_alias="KAFKA_IDLE_BATCH_TIMEOUT_MS",
        description="How long an idle consumer's batch loop waits, then sleeps, between empty polls (busy: 50).",
    )
    kafka_idle_after_s: float = Field(
        10.0,
        gt=0,
        validation_alias="KAFKA_IDLE_AFTER_S",
        description="How long a consumer receives nothing before it polls at the idle pace.",
    )
    mongodb_url: str | None = Field(
        None,
        validation_alias="MONGODB_URL",
        description="When set, every service uses MongoDB (one database per service).",
    )
    var_dir: Path = Field(Path("var"), validation_alias="VAR_DIR")
    data_dir: Path = Field(default_factory=default_data_dir, validation_alias="DATA_DIR")
    secret_key: SecretStr = Field(SecretStr(DEVELOPMENT_SECRET), validation_alias="SECRET_KEY")
    internal_token: SecretStr = Field(
        SecretStr(DEVELOPMENT_INTERNAL_TOKEN),
        validation_alias="INTERNAL_TOKEN",
        description="Bearer token the gateway presents to the services' internal HTTP API.",
    )
    otlp_endpoint: str | None = Field(None, validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    trace_store_calls: bool = Field(True, validation_alias="TRACE_STORE_CALLS", description="A span per store call.")
    retry_attempts: int = Field(3, validation_alias="EVENT_RETRY_ATTEMPTS", ge=1)
    retry_backoff_s: float = Field(0.2, validation_alias="EVENT_RETRY_BACKOFF_S", ge=0)

    # Per-service (prefixed) settings.
    host: str = "127.0.0.1"
    port: int = 0
    store_url: str | None = None
    # True for a service no person waits on (partners): its consumer always polls at the
    # idle pace (KAFKA_IDLE_FETCH_MAX_WAIT_MS, KAFKA_IDLE_BATCH_TIMEOUT_MS). On the local broker, which
    # holds every fetch for its whole wait, the busy pace's 20 fetches a second per consumer were a
    # good part of what a sign-up cost (docs/PERFORMANCE.md, "Cost model of a sign-up"); such a
    # consumer's events wait at most about half a second more, and come in fuller batches.
    background_consumer: bool = False

    @model_validator(mode="after")
    def _refuse_insecure_defaults(self) -> Self:
        # Test systems included: a harness that runs on the public defaults would hide a
        # deployment that forgot a variable, so only a developer's machine may use them.
        if self.environment is not Environment.DEVELOPMENT:
            for name in ("secret_key", "internal_token"):
                secret: SecretStr = getattr(self, name)
                value = secret.get_secret_value()
                if value in (DEVELOPMENT_SECRET, DEVELOPMENT_INTERNAL_TOKEN):
                    raise ValueError(
                        f"{name.upper()} is the public development default: "
                        f"set it to a random value when ENVIRONMENT={self.environment.value}"
                    )
                if len(value) < 32:
                    raise ValueError(f"{name.upper()} must be at least 32 characters outside development")
        if self.port == 0:
            self.port = self.default_port
        return self

    @property
    def resolved_store_url(self) -> str:
        """Return the store URL: explicit, else MongoDB when configured, else a SQLite file."""
        if self.store_url:
            return self.store_url
        if self.mongodb_url:
            return self.mongodb_url
        return f"sqlite:///{self.var_dir / 'stores' / (self.service_name + '.sqlite3')}"

    @property
    def store_database(self) -> str:
        """Return the MongoDB database name for this service."""
        return f"{self.topic_prefix}{self.service_name}".replace(".", "_")

    def topic(self, name: str) -> str:
        """Return the broker topic name for an event name."""
        return f"{self.topic_prefix}{name}"
