from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.system import Broker, System, start_broker, start_system


@pytest.fixture(scope="session")
def broker() -> Iterator[Broker]:
    """One real tansu broker for the whole test session (tests isolate themselves by topic prefix)."""
    running = start_broker()
    yield running
    running.stop()


@pytest.fixture
async def system(broker: Broker, tmp_path: Path) -> AsyncIterator[System]:
    """The whole system (every service and the gateway) on the session broker."""
    running = await start_system(broker, tmp_path / "var")
    yield running
    running.stop()


@pytest.fixture(scope="module")
async def accounts_system(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    running = await start_system(
        broker,
        tmp_path_factory.mktemp("accounts") / "var",
        services=["profile", "notifications", "gateway"],
        extra_env={
            "GATEWAY_RATE_LIMIT_LOGIN": '{"per_address": "1000/minute", "per_address_account": "5/minute"}',
        },
    )
    yield running
    running.stop()


@pytest.fixture
async def client(accounts_system: System) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=accounts_system.url("gateway"), timeout=10) as http:
        yield http
