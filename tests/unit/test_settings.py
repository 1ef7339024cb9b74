"""Settings refuse the public development secrets in every environment but development."""

from __future__ import annotations

import secrets

import pytest
from pydantic import ValidationError

from services.gateway.settings import GatewaySettings
from shared.settings import DEVELOPMENT_INTERNAL_TOKEN, DEVELOPMENT_SECRET, ServiceSettings

STRONG = secrets.token_urlsafe(32)
OTHER_STRONG = secrets.token_urlsafe(32)


@pytest.fixture(autouse=True)
def no_secrets_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine running the tests may export them: each test says what it sets."""
    for name in ("ENVIRONMENT", "SECRET_KEY", "INTERNAL_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def test_development_runs_on_the_public_defaults() -> None:
    settings = ServiceSettings()
    assert settings.environment == "development"
    assert settings.secret_key.get_secret_value() == DEVELOPMENT_SECRET
    assert settings.internal_token.get_secret_value() == DEVELOPMENT_INTERNAL_TOKEN


@pytest.mark.parametrize("environment", ["test", "production"])
@pytest.mark.parametrize(
    ("given", "refused"),
    [
        ({}, "SECRET_KEY"),  # neither set: the first one is named
        ({"INTERNAL_TOKEN": STRONG}, "SECRET_KEY"),
        ({"SECRET_KEY": STRONG}, "INTERNAL_TOKEN"),
        ({"SECRET_KEY": STRONG, "INTERNAL_TOKEN": DEVELOPMENT_INTERNAL_TOKEN}, "INTERNAL_TOKEN"),
        # One default in the other's place is still a public value.
        ({"SECRET_KEY": DEVELOPMENT_INTERNAL_TOKEN, "INTERNAL_TOKEN": STRONG}, "SECRET_KEY"),
    ],
)
def test_outside_development_a_default_secret_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, environment: str, given: dict[str, str], refused: str
) -> None:
    monkeypatch.setenv("ENVIRONMENT", environment)
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as error:
        ServiceSettings()
    message = str(error.value)
    assert f"{refused} is the public development default" in message
    assert f"ENVIRONMENT={environment}" in message


def test_outside_development_a_short_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("INTERNAL_TOKEN", "short-but-not-default")
    with pytest.raises(ValidationError, match="INTERNAL_TOKEN must be at least 32 characters"):
        ServiceSettings()


def test_outside_development_random_secrets_are_accepted_by_every_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("INTERNAL_TOKEN", OTHER_STRONG)
    settings = GatewaySettings()  # a service's settings inherit the rule
    assert settings.secret_key.get_secret_value() == STRONG
    assert settings.internal_token.get_secret_value() == OTHER_STRONG


def test_constructor_arguments_are_held_to_the_same_rule() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY is the public development default"):
        GatewaySettings(environment="test")
    assert GatewaySettings(environment="test", secret_key=STRONG, internal_token=OTHER_STRONG).port == 8000
